import { systemActor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { deliveryRoundOfAcceptanceTimer } from "../../app/deadlines.ts";
import { executeOrderCommand } from "../../app/execute-order-command.ts";

/**
 * The acceptance period ran out: a delivery nobody refused counts as accepted (by rule).
 * The command names the delivery the period was for, so a period of a delivery refused
 * meanwhile (which may fire before its cancellation commits) accepts no redelivery.
 */
export function acceptancePeriodElapsed(outbox: OutboxWriter): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    const deliveryRound = deliveryRoundOfAcceptanceTimer(timer.key);
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "AcceptDelivery", byRule: true, deliveryRound, actor }, { actor, causationId: `timer:${timer.id}` });
  };
}

/** A pick-up order's hold period ran out: if nobody collected it, it is cancelled by rule (stock back, refund due). */
export function pickupPeriodElapsed(outbox: OutboxWriter): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "PickupPeriodElapsed", actor }, { actor, causationId: `timer:${timer.id}` });
  };
}
