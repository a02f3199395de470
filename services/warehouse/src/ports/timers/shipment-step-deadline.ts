import type { TimerHandler } from "@oms/timers";
import { flagOverdueShipmentStep, type OverdueShipmentDeps } from "../../app/commands/flag-overdue-shipment-step.ts";
import { shipmentStepOf } from "../../domain/step-deadlines.ts";

/** A shipment step's deadline or its escalation is due; fires once, in the timer's transaction, across restarts. */
export function shipmentStepDeadlineElapsed(deps: OverdueShipmentDeps): TimerHandler {
  return async (timer, tx) => {
    const p = timer.payload;
    await flagOverdueShipmentStep(tx, deps, { reservationId: String(p.reservationId ?? ""), step: shipmentStepOf(String(p.step ?? "")), level: Number(p.level), timerId: timer.id });
  };
}
