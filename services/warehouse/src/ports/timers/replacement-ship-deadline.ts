import type { TimerHandler } from "@oms/timers";
import { flagOverdueReplacement } from "../../app/commands/flag-overdue-replacement.ts";
import type { OverdueShipmentDeps } from "../../app/commands/flag-overdue-shipment-step.ts";
import { shipmentStepOf } from "../../domain/step-deadlines.ts";

/**
 * A reserved replacement's step deadline or its escalation is due; fires once, in the timer's
 * transaction, across restarts. A timer scheduled before the steps names no step: its ship-by.
 */
export function replacementShipDeadlineElapsed(deps: OverdueShipmentDeps): TimerHandler {
  return async (timer, tx) => {
    const p = timer.payload;
    await flagOverdueReplacement(tx, deps, { caseId: String(p.caseId ?? ""), storeId: String(p.storeId ?? ""), step: shipmentStepOf(String(p.step ?? "ship")), level: Number(p.level), timerId: timer.id });
  };
}
