import type pg from "pg";
import { afterSalesVisitTaskId, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { isVisitedCaseKind, visitTaskOf } from "../../domain/after-sales-visit.ts";

export type CaseAccepted = OrderEventOf<typeof EventTypes.CaseAccepted>;

/**
 * Customer service accepted repair or maintenance cases (ADR 025): each becomes a pending
 * service task at the order's store (the envelope's), in the consumer's batch transaction,
 * named after its case so a redelivered acceptance changes nothing. Its district and skills
 * come from the order's own tasks here; the person the case names is offered it first. The
 * engine assigns it like any task, under the task's Redis lock and fencing token.
 */
export async function requestAfterSalesVisits(tx: pg.ClientBase, schema: string, accepted: readonly CaseAccepted[], logger: Logger): Promise<void> {
  const tasks = [];
  for (const event of accepted) {
    const { caseId, kind, lines, assigneeStaffId } = event.payload;
    if (!isVisitedCaseKind(kind)) continue;
    const work = await taskRepository.orderWorkOf(tx, event.orderId);
    const task = visitTaskOf(
      { caseId, caseKind: kind, orderId: event.orderId, storeId: event.storeId, goods: lines, handlerStaffId: assigneeStaffId, acceptedAt: event.occurredAt },
      afterSalesVisitTaskId(caseId),
      work,
      { correlationId: event.correlationId || event.eventId, causationId: event.eventId, traceparent: event.traceparent },
    );
    tasks.push(task);
    logger.info({ orderId: event.orderId, caseId, taskId: task.taskId, storeId: task.storeId, region: task.region, skills: task.skills, correlationId: event.correlationId }, "after-sales visit requested");
  }
  if ((await taskRepository.insertPending(tx, tasks)) > 0) await signalPendingTasks(tx, schema);
}
