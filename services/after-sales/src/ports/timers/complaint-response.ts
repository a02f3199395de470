import type { TimerHandler } from "@oms/timers";
import type { CaseDeps } from "../../app/case-deps.ts";
import { escalateOverdueComplaint } from "../../app/commands/escalate-overdue-complaint.ts";

/** A complaint's answer is due; fires once, in the timer's transaction, across restarts. */
export function complaintResponseDue(deps: Pick<CaseDeps, "outbox" | "clock">): TimerHandler {
  return (timer, tx) => escalateOverdueComplaint(tx, deps, String(timer.payload.caseId ?? timer.key));
}
