import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { signalPendingTasks, signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { replanTask } from "../../domain/replan.ts";
import { releaseAssignment, type ReleaseDeps } from "./release-assignment.ts";

type ReplanRequest = OrderEventOf<typeof EventTypes.AssignmentReplanRequested>;

const dateOf = (iso: string) => (iso ? new Date(iso) : undefined);

/**
 * Fulfillment re-planned an order's open task (a corrected address or time, or routing
 * moving the order to another store), in the consumer's batch transaction: the task
 * takes the new plan, and an assignee who can no longer do it is withdrawn (recorded, and
 * announced as AssignmentWithdrawn) so the engine reassigns it. A redelivered request
 * finds the plan already in place and the assignee either kept or gone: nothing changes.
 */
export async function replanTasks(tx: pg.ClientBase, deps: ReleaseDeps, requests: readonly ReplanRequest[], logger: Logger): Promise<void> {
  const touchedStores = new Set<string>();
  for (const request of requests) {
    const task = await taskRepository.lockById(tx, request.payload.taskId);
    if (!task) {
      logger.warn({ taskId: request.payload.taskId, orderId: request.orderId }, "re-plan for a task dispatch does not know; ignored");
      continue;
    }
    const { region, dueFrom, dueUntil, storeId, reason } = request.payload;
    const assignee = task.assigneeStaffId ? await staffRepository.findById(tx, task.assigneeStaffId) : undefined;
    const decision = replanTask(task, { region, dueFrom: dateOf(dueFrom), dueUntil: dateOf(dueUntil), storeId, reason }, assignee, new Date());
    if (decision.kind === "nothing") continue;
    // Released under the old plan, so the old store's workload is the one rebuilt.
    if (decision.withdraw) {
      await releaseAssignment(tx, deps, task, { type: "ReleaseAssignment", cause: "withdrawn", reason: decision.withdraw, now: new Date(), includingAcknowledged: true }, request.actor, request.correlationId);
    }
    await taskRepository.replan(tx, decision.task);
    touchedStores.add(decision.task.storeId);
    logger.info({ taskId: task.taskId, orderId: task.orderId, storeId: decision.task.storeId, withdrawn: decision.withdraw !== undefined }, "task re-planned");
  }
  if (touchedStores.size === 0) return;
  const stores = [...touchedStores];
  await signalWorkloadChanged(tx, deps.schema, stores);
  await taskRepository.retryQueuedOfStores(tx, stores);
  await signalPendingTasks(tx, deps.schema);
}
