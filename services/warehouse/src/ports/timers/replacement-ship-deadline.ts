import type { TimerHandler } from "@oms/timers";
import { flagOverdueReplacement } from "../../app/commands/flag-overdue-replacement.ts";
import type { OverdueShipmentDeps } from "../../app/commands/flag-overdue-shipment-step.ts";

/** A reserved replacement's ship-by deadline or its escalation is due; fires once, in the timer's transaction, across restarts. */
export function replacementShipDeadlineElapsed(deps: OverdueShipmentDeps): TimerHandler {
  return async (timer, tx) => {
    const p = timer.payload;
    await flagOverdueReplacement(tx, deps, { caseId: String(p.caseId ?? ""), storeId: String(p.storeId ?? ""), level: Number(p.level), timerId: timer.id });
  };
}
