import type pg from "pg";
import { systemActor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { deliveryRoundOfAcceptanceTimer } from "../../app/deadlines.ts";
import { executeOrderCommand } from "../../app/execute-order-command.ts";
import { declaredOf } from "../../app/force-majeure/declaration-view.ts";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import type { ForceMajeureNotice } from "../../domain/commands.ts";
import { coveringDeclaration } from "../../domain/force-majeure.ts";

/**
 * The acceptance period ran out: a delivery nobody refused counts as accepted (by rule).
 * The command names the delivery the period was for, so a period of a delivery refused
 * meanwhile (which may fire before its cancellation commits) accepts no redelivery.
 */
export function acceptancePeriodElapsed(outbox: OutboxWriter, settings: { acceptancePeriodHours: number }): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    const deliveryRound = deliveryRoundOfAcceptanceTimer(timer.key);
    const forceMajeure = await forceMajeureOverDelivery(tx, timer.orderId, settings.acceptancePeriodHours);
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "AcceptDelivery", byRule: true, deliveryRound, actor, ...(forceMajeure ? { forceMajeure } : {}) }, { actor, causationId: `timer:${timer.id}` });
  };
}

/**
 * Force majeure declared over the delivered order's store or district (ADR 027): the customer
 * cannot be expected to inspect or answer, so the period runs again in full from the time
 * the declaration expects to end (from now, if it names none; it is checked again then).
 */
async function forceMajeureOverDelivery(tx: pg.ClientBase, orderId: string, periodHours: number): Promise<(ForceMajeureNotice & { until: string }) | undefined> {
  const order = await orderRepository.find(tx, orderId);
  if (!order || order.order.status !== "delivered") return undefined;
  const covering = coveringDeclaration(order.order, (await forceMajeureRepository.declaredAt(tx, [order.order.storeId])).map(declaredOf));
  if (!covering) return undefined;
  const from = Math.max(Date.now(), covering.expectedUntil ? Date.parse(covering.expectedUntil) : 0);
  return { ...covering, until: new Date(from + periodHours * 3600_000).toISOString() };
}

/** A pick-up order's hold period ran out: if nobody collected it, it is cancelled by rule (stock back, refund due). */
export function pickupPeriodElapsed(outbox: OutboxWriter): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "PickupPeriodElapsed", actor }, { actor, causationId: `timer:${timer.id}` });
  };
}
