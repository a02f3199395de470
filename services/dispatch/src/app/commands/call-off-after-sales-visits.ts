import type pg from "pg";
import { afterSalesVisitTaskId, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { closeTasks } from "./close-tasks-of-orders.ts";

export type CaseResolved = OrderEventOf<typeof EventTypes.CaseResolved>;

/**
 * A case was resolved while its visit was still to be done (ADR 025: resolving does not wait
 * for the visit; customer service settled it otherwise — an exchange, a refund): the visit is
 * called off, in the consumer's batch transaction, freeing whoever held it. A visit already
 * done, or a case that never had one, changes nothing.
 */
export async function callOffAfterSalesVisits(tx: pg.ClientBase, schema: string, resolved: readonly CaseResolved[], logger: Logger): Promise<void> {
  const byTask = new Map(resolved.map((event) => [afterSalesVisitTaskId(event.payload.caseId), event]));
  const open = (await taskRepository.lockByIds(tx, [...byTask.keys()])).filter((task) => task.status !== "done" && task.status !== "cancelled");
  for (const task of open) {
    const event = byTask.get(task.taskId)!;
    logger.info({ orderId: task.orderId, caseId: event.payload.caseId, taskId: task.taskId, status: task.status, correlationId: event.correlationId }, "after-sales visit called off: its case was resolved");
  }
  await closeTasks(tx, schema, open.map((task) => ({ task, end: "cancelled" as const })));
}
