import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { signalPendingTasks, signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { replanTask, type Replan } from "../../domain/replan.ts";
import { releaseAssignment, type ReleaseDeps } from "./release-assignment.ts";
import { optionalTimeOf } from "./request-times.ts";

type ReplanRequest = OrderEventOf<typeof EventTypes.AssignmentReplanRequested>;

export interface ReplanDeps extends ReleaseDeps {
  clock: () => Date;
}

/**
 * Fulfillment re-planned an order's open task (a corrected address or time, or routing
 * moving the order to another store), in the consumer's batch transaction: the task
 * takes the new plan, and an assignee who can no longer do it is withdrawn (recorded, and
 * announced as AssignmentWithdrawn) so the engine reassigns it. A redelivered request
 * finds the plan already in place and the assignee either kept or gone: nothing changes.
 * One invalid request fails the batch before anything is written, so the consumer retries
 * the requests one by one and dead-letters only the invalid one.
 */
export async function replanTasks(tx: pg.ClientBase, deps: ReplanDeps, requests: readonly ReplanRequest[], logger: Logger): Promise<void> {
  const replans = requests.map((request) => ({ request, replan: replanOf(request) }));
  const touchedStores = new Set<string>();
  for (const { request, replan } of replans) {
    const task = await taskRepository.lockById(tx, request.payload.taskId);
    if (!task) {
      logger.warn({ taskId: request.payload.taskId, orderId: request.orderId }, "re-plan for a task dispatch does not know; ignored");
      continue;
    }
    const assignee = task.assigneeStaffId ? await staffRepository.findById(tx, task.assigneeStaffId) : undefined;
    const now = deps.clock();
    const decision = replanTask(task, replan, assignee, now);
    if (decision.kind === "nothing") continue;
    // Released under the old plan, so the old store's workload is the one rebuilt. The
    // release may not apply (a reported visit stays with its assignee): then the task is unchanged.
    const afterRelease = decision.withdraw
      ? await releaseAssignment(tx, deps, task, { type: "ReleaseAssignment", cause: "withdrawn", reason: decision.withdraw, now, includingAcknowledged: true }, request.actor, request.correlationId)
      : task;
    await taskRepository.replan(tx, decision.task);
    touchedStores.add(decision.task.storeId);
    logger.info({ taskId: task.taskId, orderId: task.orderId, storeId: decision.task.storeId, withdrawn: afterRelease !== task }, "task re-planned");
  }
  if (touchedStores.size === 0) return;
  const stores = [...touchedStores];
  await signalWorkloadChanged(tx, deps.schema, stores);
  await taskRepository.retryQueuedOfStores(tx, stores);
  await signalPendingTasks(tx, deps.schema);
}

/** The new plan a request asks for; a time that is not ISO 8601 fails it, naming the field, before it reaches Postgres. */
function replanOf(request: ReplanRequest): Replan {
  const { region, dueFrom, dueUntil, storeId, reason } = request.payload;
  const errors: FieldError[] = [];
  const from = optionalTimeOf("dueFrom", dueFrom, errors);
  const until = optionalTimeOf("dueUntil", dueUntil, errors);
  if (from && until && until < from) errors.push({ field: "dueUntil", message: "is before dueFrom" });
  if (errors.length > 0) {
    throw new ValidationError(errors, `re-plan request ${request.eventId} is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`, "dispatch.invalid-replan-request");
  }
  return { region, dueFrom: from, dueUntil: until, storeId, reason };
}
