import type pg from "pg";
import { caseIdOfVisitTask, EventTypes, type OrderEvent, type EventType } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordVisitProgress, type VisitProgress } from "../../domain/case-visit.ts";

/** Dispatch's events that tell where a case's visit stands (ADR 025). */
export const visitEventTypes: EventType[] = [
  EventTypes.TaskQueued,
  EventTypes.TaskAssigned,
  EventTypes.AssignmentDeclined,
  EventTypes.AssignmentExpired,
  EventTypes.AssignmentWithdrawn,
  EventTypes.AssignmentAcknowledged,
  EventTypes.ServiceAppointmentConfirmed,
  EventTypes.ServiceVisitRescheduled,
  EventTypes.ServiceCheckedIn,
  EventTypes.ServiceException,
  EventTypes.AfterSalesVisitReported,
];

/** The case a dispatch event is about, when it is about an after-sales visit's task; undefined for an order's own task. */
export function caseOfVisitEvent(event: OrderEvent): string | undefined {
  if (!(visitEventTypes as string[]).includes(event.type)) return undefined;
  return caseIdOfVisitTask((event.payload as { taskId?: string }).taskId ?? "");
}

/**
 * Dispatch said something about a case's visit: the case keeps it, under its row lock (so it
 * is ordered with customer service's steps on the case), written whole. The inbox keeps a
 * republished copy from counting twice; an exception is kept once per id anyway.
 */
export async function recordVisitProgressOf(tx: pg.ClientBase, event: OrderEvent, logger: Logger): Promise<void> {
  const caseId = caseOfVisitEvent(event);
  const progress = progressOf(event);
  if (!caseId || !progress) return;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `dispatch reported on the visit of case ${caseId}, which after-sales does not have`);
  const after = recordVisitProgress(state, progress);
  if (after === state) return;
  await caseRepository.recordVisit(tx, after);
  logger.info({ orderId: event.orderId, caseId, progress: progress.type, visitStatus: after.visit?.status, correlationId: event.correlationId }, "visit progress recorded on the case");
}

function progressOf(event: OrderEvent): VisitProgress | undefined {
  switch (event.type) {
    case EventTypes.TaskQueued:
      return { type: "queued", reason: event.payload.reason };
    case EventTypes.TaskAssigned:
      return { type: "assigned", staffId: event.payload.staffId };
    case EventTypes.AssignmentDeclined:
    case EventTypes.AssignmentExpired:
    case EventTypes.AssignmentWithdrawn:
      return { type: "released" };
    case EventTypes.AssignmentAcknowledged:
      return { type: "acknowledged", staffId: event.payload.staffId };
    case EventTypes.ServiceAppointmentConfirmed:
      return { type: "scheduled", staffId: event.payload.staffId, from: new Date(event.payload.appointmentFrom), until: new Date(event.payload.appointmentUntil) };
    case EventTypes.ServiceVisitRescheduled:
      return { type: "scheduled", staffId: event.payload.staffId, from: new Date(event.payload.appointmentFrom), until: new Date(event.payload.appointmentUntil) };
    case EventTypes.ServiceCheckedIn:
      return { type: "checked-in", staffId: event.payload.staffId };
    case EventTypes.ServiceException: {
      const p = event.payload;
      return {
        type: "exception",
        exception: { exceptionId: p.exceptionId, kind: p.kind, cause: p.cause, measure: p.measure, reportedAt: new Date(p.reportedAt || event.occurredAt), staffId: p.staffId, ...(p.newTime ? { newTime: new Date(p.newTime) } : {}) },
      };
    }
    case EventTypes.AfterSalesVisitReported: {
      const p = event.payload;
      return { type: "reported", staffId: p.staffId, at: new Date(p.submittedAt || event.occurredAt), summary: p.summary, reportId: p.reportId, round: p.round };
    }
    default:
      return undefined;
  }
}
