import type { TimerHandler } from "@oms/timers";
import type { ServiceStep } from "../../adapters/pg/step-deadline-repository.ts";
import { flagOverdueStep, type OverdueDeps } from "../../app/commands/flag-overdue-step.ts";

/** A service step's deadline or its escalation is due; fires once, in the timer's transaction, across restarts. */
export function stepDeadlineElapsed(deps: OverdueDeps): TimerHandler {
  return async (timer, tx) => {
    const p = timer.payload;
    await flagOverdueStep(tx, deps, { taskId: String(p.taskId ?? ""), step: String(p.step ?? "") as ServiceStep, version: Number(p.version), level: Number(p.level), round: Number(p.round ?? 0) });
  };
}
