import type pg from "pg";
import { cancelTimer, scheduleTimer } from "@oms/timers";
import type { AfterSalesCase, CaseEvent } from "../domain/case.ts";

/** The durable timers after-sales schedules (@oms/timers), by kind. */
export const TimerKinds = {
  /** Keyed by case id: a complaint's answer is due by then, else it is escalated. */
  complaintResponse: "aftersales.complaint-response",
} as const;

/**
 * Starts or stops a case's complaint timer as its events say, in the caller's transaction:
 * a complaint taken in is due an answer by its respond-by time; an answer, or a decline,
 * ends the wait.
 */
export async function followComplaintTimer(tx: pg.ClientBase, c: AfterSalesCase, events: readonly CaseEvent[]): Promise<void> {
  for (const event of events) {
    if (event.type === "CaseOpened" && event.opening.respondBy) {
      await scheduleTimer(tx, { kind: TimerKinds.complaintResponse, key: c.caseId, orderId: c.orderId, dueAt: event.opening.respondBy, payload: { caseId: c.caseId } });
    }
    if (event.type === "ComplaintAnswered" || event.type === "CaseDeclined") await cancelTimer(tx, TimerKinds.complaintResponse, c.caseId);
  }
}
