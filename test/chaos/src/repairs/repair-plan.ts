import { drawOf } from "../exchanges/exchange-plan.ts";

/**
 * What the simulated after-sales desk, technician and customer do about a delivered service
 * order's repair (ADR 025 and its rework addendum), decided from the order's id alone so that a
 * retry and the report agree: whether its customer asks for a repair, whether they reject the
 * first visit's report, and what the technician does next on the visit task as dispatch shows it.
 * Pure.
 */

/** Whether this delivered service order's customer asks for a repair. */
export function repairsOrder(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "repair asks") < share;
}

/** Whether the customer says the first visit did not fix it, within the acceptance period: one rework round follows. */
export function rejectsFirstReport(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "repair rejected") < share;
}

/** The case's id, chosen by the opener (ADR 015): every retry of the opening names it. */
export const repairCaseIdOf = (orderId: string) => `repair-${orderId}`;

/** The rejection's words: the same on every retry, so a retry whose answer was lost is that rejection again. */
export const rejectionReasonOf = (round: number) => `It worked for an hour after visit ${round + 1} and stopped again.`;

/** The visit task as the technician reads it (GET /v1/tasks/{taskId}): only what the next step depends on. */
export interface VisitTaskSeen {
  status: string;
  staffId: string;
  service?: { round: number; reports: readonly { round: number }[] };
}

/**
 * What the technician does next on the round's visit: nothing more once the round's report is
 * in; wait while dispatch has not opened the round or given it to anyone; otherwise the step the
 * task's status asks for (acknowledge; agree the appointment, then arrive; write the record, then
 * report). A round's appointment is agreed once per technician (`appointed`): a visit handed on
 * is agreed anew by whoever holds it.
 */
export type VisitStep = "reported" | "wait" | "acknowledge" | "appointment" | "check-in" | "record-and-report" | "gone";

export function nextVisitStep(task: VisitTaskSeen, round: number, appointed: boolean): VisitStep {
  const service = task.service;
  if (service?.reports.some((r) => r.round === round)) return "reported";
  if (task.status === "cancelled") return "gone";
  if (!service || service.round !== round || !task.staffId) return "wait";
  switch (task.status) {
    case "assigned":
      return "acknowledge";
    case "acknowledged":
      return appointed ? "check-in" : "appointment";
    case "in-progress":
      return "record-and-report";
    default:
      return "wait";
  }
}
