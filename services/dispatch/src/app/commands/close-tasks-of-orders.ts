import type pg from "pg";
import { signalPendingTasks, signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decide, type OrderEnd, type TaskClosed } from "../../domain/task.ts";

/**
 * Orders that were delivered or cancelled close their open tasks, in the consumer's
 * batch transaction: held tasks free their assignee's capacity, so the stores' queued
 * tasks are retried at once and their workload counters rebuilt (signalled at commit).
 * When an order ends twice in one batch, its last end wins.
 */
export async function closeTasksOfOrders(tx: pg.ClientBase, schema: string, ends: readonly { orderId: string; end: OrderEnd }[]): Promise<void> {
  if (ends.length === 0) return;
  const endOf = new Map(ends.map((e) => [e.orderId, e.end]));
  const open = await taskRepository.lockOpenOfOrders(tx, [...endOf.keys()]);
  const closures: { taskId: string; status: TaskClosed["status"] }[] = [];
  const freedStores = new Set<string>();
  for (const task of open) {
    for (const event of decide({ type: "CloseTask", end: endOf.get(task.orderId)! }, task)) {
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
