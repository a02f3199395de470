import type pg from "pg";
import { cancelTimer, scheduleTimer } from "@oms/timers";
import type { AfterSalesCase, CaseEvent } from "../domain/case.ts";

/** The durable timers after-sales schedules (@oms/timers), by kind. */
export const TimerKinds = {
  /** Keyed by case id: a complaint's answer is due by then, else it is escalated. */
  complaintResponse: "aftersales.complaint-response",
} as const;

/** Starts a complaint's timer as its opening says, in the caller's transaction: a complaint taken in is due an answer by its respond-by time. */
export async function startComplaintTimer(tx: pg.ClientBase, c: AfterSalesCase, events: readonly CaseEvent[]): Promise<void> {
  for (const event of events) {
    if (event.type === "CaseOpened" && event.opening.respondBy) {
      await scheduleTimer(tx, { kind: TimerKinds.complaintResponse, key: c.caseId, orderId: c.orderId, dueAt: event.opening.respondBy, payload: { caseId: c.caseId } });
    }
  }
}

/**
 * Calls off a case's complaint timer, if one is pending, in the caller's transaction: an
 * answer or a decline ends the wait. Its row stays locked until the transaction ends; a
 * timer being fired meanwhile is waited for and then left as fired. No timer (not a
 * complaint, or one declined as it was opened): nothing.
 */
export async function callOffComplaintTimer(tx: pg.ClientBase, caseId: string): Promise<void> {
  await cancelTimer(tx, TimerKinds.complaintResponse, caseId);
}
