import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { AcceptDelivery, CloseOrder, RecordDelivery, RecordSettled, RecordShipmentProgress, RejectDelivery } from "./commands.ts";
import type { OrderDomainEvent } from "./events.ts";
import { evolveAll } from "./evolve.ts";
import type { Order, OrderStatus } from "./order.ts";
import { deliveredPart, isPartReservation, partDelivered, partShipmentProgress } from "./parts.ts";
import { assertDeliversTheirOwn, deliveringRoles } from "./deliverers.ts";
import { transition as move } from "./status-change.ts";
import { canTransition, terminalStatuses } from "./transitions.ts";

/**
 * The order's life after it has an assignee: the goods' way out of the warehouse,
 * delivery with proof, the customer's acceptance (or refusal and rework), settlement
 * and closing (DOMAIN.md: delivered → accepted → completed → settled → closed).
 */

export function recordShipmentProgress(command: RecordShipmentProgress, order: Order): OrderDomainEvent[] {
  if (isPartReservation(order, command.reservationId)) return partShipmentProgress(command, order);
  if (order.reservationId !== command.reservationId) return [];
  // Reported facts arrive once each; one seen again (or late, after a cancellation) changes nothing.
  if (!canTransition(order.status, command.stage)) return [];
  const events: OrderDomainEvent[] = [move(order, command.stage, `${command.stage} by the warehouse`)];
  if (command.stage === "shipped" && command.trackingNumber) {
    events.push({ type: "TrackingRecorded", carrier: command.carrier ?? "", trackingNumber: command.trackingNumber });
  }
  if (command.stage === "packed" && order.fulfillmentMethod === "pickup") {
    if (!command.pickup) throw new Error(`packing pick-up order ${order.orderId} needs its pick-up code and hold period`);
    const { code, holdHours, at } = command.pickup;
    const collectBy = new Date(Date.parse(at) + holdHours * 3600_000).toISOString();
    events.push({ type: "ReadyForPickup", pickup: { code, readyAt: at, collectBy } });
  }
  return events;
}

/** The hold period of a pick-up order ran out with nobody at the counter: cancelled by rule. */
export function pickupPeriodElapsed(order: Order): OrderDomainEvent[] {
  // Collected (or cancelled) in time: the deadline has nothing left to do.
  if (order.status !== "packed" || !order.pickup) return [];
  const reason = `not collected by ${order.pickup.collectBy}: cancelled by rule`;
  const events: OrderDomainEvent[] = [move(order, "cancelled", reason), { type: "OrderCancelled", reason, reasonCode: "not-collected", refundDue: order.prepaid }];
  if (order.reservationId) events.push({ type: "StockReleaseRequested", reservationId: order.reservationId, reason: "pick-up order not collected" });
  return events;
}

/**
 * At the counter the customer gives their pick-up code: the clerk records the handover
 * with it as the proof (a one-time code), and a wrong code hands nothing over.
 */
function checkPickupCode(command: RecordDelivery, order: Order): void {
  if (order.fulfillmentMethod !== "pickup" || !order.pickup || order.status !== "packed") return;
  if (command.delivery.proofKind !== "one-time-code") {
    throw new ValidationError([{ field: "proofKind", message: "a pick-up is handed over against the customer's pick-up code: one-time-code" }]);
  }
  if (command.delivery.proofRef.trim() !== order.pickup.code) {
    throw new ValidationError([{ field: "proofRef", message: "does not match the order's pick-up code" }], "the pick-up code does not match", "order.wrong-pickup-code");
  }
}

/** Where a delivery may be recorded from, by how the order reaches the customer. */
function deliverableFrom(order: Order): OrderStatus[] {
  if (order.kind === "service") return ["assigned", "rework"];
  if (order.fulfillmentMethod === "pickup") return ["packed", "rework"];
  return ["shipped", "rework"];
}

export function recordDelivery(command: RecordDelivery, order: Order): OrderDomainEvent[] {
  const { actor } = command;
  // A marketplace reports the deliveries of the orders that came in on it (decide holds it to those: callers-orders.ts).
  if (!(actor.kind === "platform" || (actor.kind === "staff" && deliveringRoles.has(actor.role)))) {
    throw new ForbiddenError("order.delivery-by-staff", `only ${[...deliveringRoles].join(", ")} staff or the marketplace the order came in on record a delivery`);
  }
  const missing = (["deliveredAt", "place", "method", "proofRef"] as const).filter((f) => !command.delivery[f]);
  if (missing.length > 0) throw new ValidationError(missing.map((field) => ({ field, message: "is required" })));
  if (command.boundCollected) checkCollectable(command.delivery.collectedMinor, order);
  // A split order is delivered part by part; after a refusal (rework) it is redelivered whole.
  if (order.parts && order.status !== "rework" && !terminalStatuses.has(order.status)) {
    assertDeliversTheirOwn(command, order, deliveredPart(command, order).assigneeStaffId);
    return partDelivered(command, order, { ...command.delivery, acceptBy: acceptByOf(command) });
  }
  assertDeliversTheirOwn(command, order, order.assigneeStaffId);
  if (!deliverableFrom(order).includes(order.status)) {
    throw new IllegalStateError(
      "order.not-deliverable",
      `order ${order.orderId} is ${order.status}; a ${order.kind === "service" ? "service" : order.fulfillmentMethod} order is delivered from ${deliverableFrom(order).join(" or ")}`,
    );
  }
  checkPickupCode(command, order);
  return [
    { type: "DeliveryRecorded", delivery: { ...command.delivery, acceptBy: acceptByOf(command) } },
    move(order, "delivered", `${command.delivery.method} at ${command.delivery.place}, proof: ${command.delivery.proofKind}`),
  ];
}

/**
 * Decided under the order's lock, so two parts' riders collecting at once are counted one
 * after the other: the money taken at the door never adds up to more than the order costs,
 * and nothing is taken for a prepaid order. (What finance confirmed meanwhile, the gateway
 * asks billing before.)
 */
function checkCollectable(collectedMinor: number, order: Order): void {
  if (collectedMinor === 0) return;
  const owed = order.prepaid ? 0 : Math.max(0, order.totals.grandTotalMinor - (order.collectedAtDoorMinor ?? 0));
  if (collectedMinor > owed) {
    throw new IllegalStateError(
      "payment.more-than-outstanding",
      `order ${order.orderId} owes ${owed} ${order.totals.currency} at the door (${order.prepaid ? "prepaid" : `${order.collectedAtDoorMinor ?? 0} taken already`}): ${collectedMinor} cannot be taken`,
    );
  }
}

/** Past this the delivery counts as accepted unless the customer objected. */
function acceptByOf(command: RecordDelivery): string {
  const deliveredAt = new Date(command.delivery.deliveredAt);
  if (Number.isNaN(deliveredAt.getTime())) throw new ValidationError([{ field: "deliveredAt", message: "must be an ISO 8601 date-time" }]);
  return new Date(deliveredAt.getTime() + command.acceptancePeriodHours * 3600_000).toISOString();
}

export function acceptDelivery(command: AcceptDelivery, order: Order): OrderDomainEvent[] {
  if (command.byRule && order.status !== "delivered") return []; // answered before the period ran out
  // The period of a delivery the customer refused: the redelivery has a period of its own.
  if (command.byRule && command.deliveryRound !== undefined && command.deliveryRound !== (order.reworkCount ?? 0)) return [];
  if (order.status === "accepted" || order.status === "completed" || order.status === "settled" || order.status === "closed") return [];
  if (!command.byRule && command.actor.kind !== "customer" && command.actor.role !== "order-taker") {
    throw new ForbiddenError("order.acceptance-by-customer", "the customer accepts a delivery (or an order taker on their behalf)");
  }
  const events: OrderDomainEvent[] = [move(order, "accepted", command.byRule ? "acceptance period passed without objection" : "signed by the customer")];
  const accepted = evolveAll(order, events)!;
  events.push(move(accepted, "completed", "delivered and accepted"));
  if (accepted.paid) events.push(move(evolveAll(accepted, events.slice(1))!, "settled", "all money received"));
  return events;
}

export function rejectDelivery(command: RejectDelivery, order: Order): OrderDomainEvent[] {
  if (command.actor.kind !== "customer" && command.actor.role !== "order-taker") {
    throw new ForbiddenError("order.refusal-by-customer", "the customer refuses a delivery (or an order taker on their behalf)");
  }
  if (!command.reason.trim()) throw new ValidationError([{ field: "reason", message: "a refusal needs the customer's reasons" }]);
  if (order.status !== "delivered") {
    throw new IllegalStateError("order.not-rejectable", `order ${order.orderId} is ${order.status}; only a delivered order can be refused`);
  }
  return [move(order, "rework", command.reason)];
}

export function recordSettled(command: RecordSettled, order: Order): OrderDomainEvent[] {
  if (order.paid) return [];
  const events: OrderDomainEvent[] = [{ type: "PaymentCompleted", settlementId: command.settlementId }];
  if (order.status === "completed") events.push(move(order, "settled", "all money received"));
  return events;
}

/** Only finance closes orders: checked per order, and once for a bulk closure before any order is read. */
export function assertMayCloseOrders(actor: CloseOrder["actor"]): void {
  if (actor.kind !== "staff" || actor.role !== "finance") {
    throw new ForbiddenError("order.close-by-finance", "only a finance clerk closes an order");
  }
}

export function closeOrder(command: CloseOrder, order: Order): OrderDomainEvent[] {
  if (order.status === "closed") return [];
  assertMayCloseOrders(command.actor);
  if (order.status !== "settled") {
    throw new IllegalStateError("order.not-closable", `order ${order.orderId} is ${order.status}; finance closes settled orders only`);
  }
  return [move(order, "closed", "finance checked all money")];
}
