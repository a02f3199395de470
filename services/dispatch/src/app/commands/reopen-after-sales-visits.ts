import type pg from "pg";
import { afterSalesVisitTaskId, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import type { OutboxWriter } from "@oms/messaging";
import { heldOrderRepository } from "../../adapters/pg/held-order-repository.ts";
import { serviceVisitRepository } from "../../adapters/pg/service-visit-repository.ts";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decideService } from "../../domain/service-visit.ts";
import { applyServiceEvents } from "./run-service-step.ts";
import type { StepDeadlineSettings } from "./step-deadlines.ts";
import { systemOriginOf } from "./task-origin.ts";

export type VisitRejected = OrderEventOf<typeof EventTypes.VisitRejected>;

export interface ReopenDeps {
  outbox: OutboxWriter;
  schema: string;
  stepDeadlines: StepDeadlineSettings;
}

/**
 * The customer rejected an after-sales visit's report (ADR 025, rework addendum): in the
 * consumer's batch transaction, under the task's row lock, the service path's rework decides
 * (StartRework, keyed on the task's origin): the visit task is pending again for the round the
 * rejection names, its last technician offered it first, and the engine assigns it under the
 * task's Redis lock and fencing token as any task; the new appointment sets the report's time
 * node again, and the new report ends the round. A rejection heard again, or of a visit called
 * off meanwhile, opens nothing. The customer's reason stays sealed: dispatch neither opens nor
 * announces it (ServiceReworkStarted names the case instead). A visit reopened while its order
 * is held for force majeure is paused from then, as the order's own tasks were (ADR 025,
 * twenty-sixth-session addendum): given to nobody, no clock running, until the order resumes.
 */
export async function reopenAfterSalesVisits(tx: pg.ClientBase, deps: ReopenDeps, rejected: readonly VisitRejected[], logger: Logger): Promise<void> {
  let reopened = 0;
  for (const event of rejected) {
    const { caseId, round } = event.payload;
    const task = await taskRepository.lockById(tx, afterSalesVisitTaskId(caseId));
    if (!task?.afterSalesCase) {
      // After-sales announces a rejection only of a visit dispatch was asked for on the same partition, before it.
      logger.warn({ orderId: event.orderId, caseId, round, correlationId: event.correlationId }, "a rejected visit dispatch has no task for: nothing to reopen");
      continue;
    }
    const visit = await serviceVisitRepository.load(tx, task.taskId);
    const events = decideService({ type: "StartRework", reason: `the customer rejected the visit's report on case ${caseId}`, now: event.occurredAt, round }, task, visit);
    if (events.length === 0) {
      logger.info({ orderId: task.orderId, caseId, taskId: task.taskId, round, status: task.status, correlationId: event.correlationId }, "visit rejection changes nothing: round already open or visit over");
      continue;
    }
    const origin = systemOriginOf(task, { eventId: event.eventId, correlationId: event.correlationId, traceparent: event.traceparent, at: event.occurredAt });
    await applyServiceEvents(tx, deps, task, events, origin);
    // Read under the task's row lock, which the pause takes too: a hold recorded before this waits is seen here. The
    // order's hold now decides, not the row: a visit reported while paused closed with its mark, which the resumption
    // (of open tasks) never cleared, and reopened after the hold would wait for a hold that is over.
    const held = await heldOrderRepository.isHeld(tx, task.orderId);
    if (held) await taskRepository.recordHeld(tx, [task.taskId], event.occurredAt);
    else if (task.heldSince) await taskRepository.recordResumed(tx, [task.taskId]);
    reopened += 1;
    logger.info({ orderId: task.orderId, caseId, taskId: task.taskId, round, preferredStaffId: task.assigneeStaffId, correlationId: event.correlationId }, held ? "after-sales visit reopened for rework, paused: its order is held for force majeure" : "after-sales visit reopened for rework");
  }
  if (reopened > 0) await signalPendingTasks(tx, deps.schema);
}
