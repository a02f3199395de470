import type pg from "pg";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { signalPendingTasks, signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decide, type OrderEnd, type Task, type TaskClosed } from "../../domain/task.ts";

/**
 * Takes the locks a cancellation of these orders serialises with their bookings on, before
 * anything else in the transaction locks a task row: a consumer's batch that held an order's
 * tasks for an earlier step (a pause, a replan) and then waited for the order's lock would
 * deadlock with a booking that holds the order's lock and waits for those tasks.
 */
export async function lockOrdersToCancel(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length > 0) await bookingRepository.lockOrders(tx, orderIds);
}

/**
 * Orders that were delivered or cancelled close their open tasks, in the consumer's
 * batch transaction: held tasks free their assignee's capacity, so the stores' queued
 * tasks are retried at once and their workload counters rebuilt (signalled at commit).
 * When an order ends twice in one batch, its last end wins. A split order's part delivered
 * names its task: only that one closes. After-sales visits are their case's, not the order's:
 * an order's end leaves them open (the repository does not return them).
 */
export async function closeTasksOfOrders(tx: pg.ClientBase, schema: string, ends: readonly { orderId: string; end: OrderEnd; taskId?: string }[]): Promise<void> {
  if (ends.length === 0) return;
  const endOf = new Map(ends.filter((e) => !e.taskId).map((e) => [e.orderId, e.end]));
  const endOfTask = new Map(ends.flatMap((e) => (e.taskId ? [[e.taskId, e.end] as const] : [])));
  // A whole order cancelled frees the service window booked for it. The order's lock before its task rows, as a
  // booking takes them; the booking's row after them, as the engine and a release take a task and then its booking.
  const cancelledOrders = [...new Set(ends.filter((e) => !e.taskId && e.end === "cancelled").map((e) => e.orderId))];
  await lockOrdersToCancel(tx, cancelledOrders);
  const open = await taskRepository.lockOpenOfOrders(tx, [...new Set(ends.map((e) => e.orderId))]);
  if (cancelledOrders.length > 0) await bookingRepository.releaseCancelled(tx, cancelledOrders);
  await closeTasks(
    tx,
    schema,
    open.flatMap((task) => {
      const end = endOf.get(task.orderId) ?? endOfTask.get(task.taskId);
      return end ? [{ task, end }] : [];
    }),
  );
}

/**
 * Closes locked tasks: held ones are done on a delivery (cancelled otherwise), the rest
 * cancelled; a task already closed is left as it is. Freed capacity retries the stores'
 * queued tasks at once and rebuilds their workload counters (signalled at commit).
 */
export async function closeTasks(tx: pg.ClientBase, schema: string, ends: readonly { task: Task; end: OrderEnd }[]): Promise<void> {
  const closures: { taskId: string; status: TaskClosed["status"] }[] = [];
  const freedStores = new Set<string>();
  for (const { task, end } of ends) {
    for (const event of decide({ type: "CloseTask", end }, task)) {
      if (event.type !== "TaskClosed") continue;
      closures.push({ taskId: task.taskId, status: event.status });
      if (event.releasedStaffId) freedStores.add(task.storeId);
    }
  }
  await taskRepository.recordClosed(tx, closures);
  if (freedStores.size === 0) return;
  const stores = [...freedStores];
  await signalWorkloadChanged(tx, schema, stores);
  if ((await taskRepository.retryQueuedOfStores(tx, stores)) > 0) await signalPendingTasks(tx, schema);
}
