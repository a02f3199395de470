import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from "@oms/errors";
import { acceptDelivery, closeOrder, pickupPeriodElapsed, recordDelivery, recordSettled, recordShipmentProgress, rejectDelivery } from "./after-assignment.ts";
import { assertCallerReachesOrder } from "./callers-orders.ts";
import { classify } from "./classification.ts";
import { cancellationReasonsOpenTo, defaultCancellationReason } from "./cancellation-reasons.ts";
import type { CancelOrder, ConfirmationDeadlinePassed, CreateOrder, DeliveryDeadlinePassed, DecideCredit, OrderCommand, RecordStockReserved, RecordStockShortage, RecordTaskAssigned } from "./commands.ts";
import type { OrderDomainEvent } from "./events.ts";
import { applyCorrection, recordReservationRejected, resolveShortage } from "./decide-changes.ts";
import { evolveAll } from "./evolve.ts";
import type { Order, OrderStatus } from "./order.ts";
import {
  isPartReservation,
  isPartTask,
  partRerouted,
  partShort,
  partTaskAssigned,
  releaseParts,
  releaseReserved,
  retryWaitingPart,
  splitOrder,
} from "./parts.ts";
import { assignmentRequest, replanRequest, reservationRequest, settlementRequest } from "./requests.ts";
import { chooseAfterForceMajeure, extendAcceptance, heldEvents, heldProgress, holdOrder, isHeldForForceMajeure, liftHold, resumedByDelivery, type OrderSteps } from "./force-majeure.ts";
import { putOnHold, transition } from "./status-change.ts";
import { shippedOrLater, terminalStatuses } from "./transitions.ts";

/**
 * What a command does to an order. The saga is here too: a fact reported by another
 * service (stock reserved, task assigned) decides the order's next request, so the
 * whole flow reads in one place and is tested without I/O.
 */
export function decide(command: OrderCommand, order: Order | undefined): OrderDomainEvent[] {
  if (command.type === "CreateOrder") return createOrder(command, order);
  if (!order) throw new NotFoundError("order.not-found", `order not found`);
  assertCallerReachesOrder(command, order);
  switch (command.type) {
    case "ConfirmOrder":
      assertMayConfirm(command.actor);
      return confirmOrder(order);
    case "CancelOrder":
      return cancelOrder(command, order);
    case "DecideCredit":
      return decideCredit(command, order);
    case "RecordStockReserved":
      return recordStockReserved(command, order);
    case "RecordStockShortage":
      return recordStockShortage(command, order);
    case "RecordTaskAssigned":
      return recordTaskAssigned(command, order);
    case "RecordShipmentProgress":
      if (command.reservationId === order.reservationId && isHeldForForceMajeure(order)) {
        if (command.stage === "shipped") return heldProgress(order, { kind: "shipped", at: command.at ?? "", carrier: command.carrier ?? "", trackingNumber: command.trackingNumber ?? "" })!;
        const progressed = heldProgress(order, { kind: command.stage })!;
        if (command.stage !== "packed" || order.fulfillmentMethod !== "pickup" || !command.pickup) return progressed;
        // Ready at the counter; its hold period starts again from the resumption (its timer meanwhile finds it held and does nothing).
        const { code, holdHours, at } = command.pickup;
        return [...progressed, { type: "ReadyForPickup", pickup: { code, readyAt: at, collectBy: new Date(Date.parse(at) + holdHours * 3600_000).toISOString() } }];
      }
      return recordShipmentProgress(command, order);
    case "RecordDelivery":
      if (isHeldForForceMajeure(order)) {
        const resumed = resumedByDelivery(order, command.delivery.deliveredAt);
        return [...resumed, ...recordDelivery(command, evolveAll(order, resumed)!)];
      }
      return recordDelivery(command, order);
    case "AcceptDelivery":
      // Only the period of the delivery standing: a refused one's (an extension's timer outlives the refusal) extends no redelivery.
      if (command.byRule && command.forceMajeure && (command.deliveryRound === undefined || command.deliveryRound === (order.reworkCount ?? 0))) {
        return extendAcceptance(order, command.forceMajeure, command.forceMajeure.until);
      }
      return acceptDelivery(command, order);
    case "RejectDelivery":
      return rejectDelivery(command, order);
    case "RecordSettled":
      return recordSettled(command, order);
    case "CloseOrder":
      return closeOrder(command, order);
    case "ConfirmationDeadlinePassed":
      return confirmationDeadlinePassed(command, order);
    case "DeliveryDeadlinePassed":
      return deliveryDeadlinePassed(command, order);
    case "RetryReservation":
      return retryReservation(order);
    case "ApplyCorrection":
      return applyCorrection(command, order);
    case "PickupPeriodElapsed":
      return pickupPeriodElapsed(order);
    case "ResolveShortage":
      return resolveShortage(command, order);
    case "RecordReservationRejected":
      return recordReservationRejected(command, order);
    case "HoldForForceMajeure":
      return holdOrder(command, order);
    case "LiftForceMajeure":
      return liftHold(command, order, orderSteps);
    case "ChooseAfterForceMajeure":
      return chooseAfterForceMajeure(command, order, orderSteps);
    case "RecordShipmentException": {
      // Recorded whatever the status: the customer must hear of it even on a finished order.
      const { kind, cause, nextStep, newEta, at } = command;
      return [{ type: "ExceptionRaised", exception: { kind, cause, nextStep, newEta, at } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function createOrder(command: CreateOrder, existing: Order | undefined): OrderDomainEvent[] {
  // The same channel order handed over twice is one order: the first creation stands.
  if (existing) return [];
  const { priority, classification } = classify(command.order);
  const order: Order = { ...command.order, status: "received", priority, classification };
  const created: OrderDomainEvent = { type: "OrderCreated", order };
  if (command.forceMajeure) {
    // Accepted, and held at once where it would otherwise have started (ADR 027).
    const first = transition(order, command.confirmedByChannel ? "confirmed" : "awaiting-confirmation", command.confirmedByChannel ? "confirmed by the channel" : "waiting for the customer to confirm");
    return [created, first, ...heldEvents(evolveAll(order, [first])!, command.forceMajeure, command.at ?? new Date(0).toISOString())];
  }
  if (!command.confirmedByChannel) {
    return [created, transition(order, "awaiting-confirmation", "waiting for the customer to confirm")];
  }
  return [created, ...thenConfirm(order, "confirmed by the channel")];
}

/** The ordinary steps force majeure goes on with when an order resumes or is cancelled. */
const orderSteps: OrderSteps = {
  continueConfirmed: (order) => continueAfterConfirmation(order),
  cancel: (order, reason) => cancelOrder({ type: "CancelOrder", reason, reasonCode: "force-majeure", actor: { kind: "system", id: "fulfillment", role: "system" } }, order, false),
};

function confirmOrder(order: Order): OrderDomainEvent[] {
  if (order.status === "awaiting-confirmation") return thenConfirm(order, "confirmed by the customer");
  // Confirmed while held for force majeure: kept, and the order resumes as a confirmed one.
  if (isHeldForForceMajeure(order) && order.forceMajeure?.heldFrom === "awaiting-confirmation") return [{ type: "HeldWorkNoted", patch: { heldFrom: "confirmed" } }];
  if (terminalStatuses.has(order.status)) {
    throw new IllegalStateError("order.not-confirmable", `order ${order.orderId} is ${order.status} and cannot be confirmed`);
  }
  // Confirming an order that is already confirmed (a double click, a retry) changes nothing.
  if (order.status !== "received") return [];
  throw new IllegalStateError("order.not-confirmable", `order ${order.orderId} is ${order.status} and cannot be confirmed yet`);
}

/** Confirmation, then the credit check, then the first request downstream. */
function thenConfirm(order: Order, reason: string): OrderDomainEvent[] {
  const events: OrderDomainEvent[] = [transition(order, "confirmed", reason)];
  return [...events, ...continueAfterConfirmation(evolveAll(order, events)!)];
}

/** A confirmed order: held for credit, or credit-checked and its first request downstream. */
function continueAfterConfirmation(confirmed: Order): OrderDomainEvent[] {
  const events: OrderDomainEvent[] = [];
  if (confirmed.paymentMethod === "on-credit" && !confirmed.prepaid) {
    // Until finance grants the customer credit (DecideCredit) the order waits.
    events.push(putOnHold(confirmed, "awaiting-credit", "on-credit order awaits credit approval"));
    return events;
  }
  events.push(transition(confirmed, "credit-checked", creditReason(confirmed)));
  const checked = evolveAll(confirmed, events)!;
  events.push(...requestFirstStep(checked));
  return events;
}

/**
 * Finance's answer to an on-credit order held for credit — a clerk's, or billing's by the
 * customer's credit assessment: approved, it goes on as any credit-checked order; refused,
 * it is cancelled with the reason (nothing is reserved or assigned yet, so nothing needs to
 * be given back).
 */
function decideCredit(command: DecideCredit, order: Order): OrderDomainEvent[] {
  const byAssessment = command.actor.kind === "system" && command.actor.id === "billing";
  if (!byAssessment && (command.actor.kind !== "staff" || command.actor.role !== "finance")) {
    throw new ForbiddenError("order.credit-by-finance", "only a finance clerk approves or refuses an order's credit");
  }
  // Billing's decision is heard, not asked for: a clerk who decided first (or a cancellation) stands.
  if (byAssessment && (order.status !== "on-hold" || order.holdReason !== "awaiting-credit")) return [];
  if (order.status !== "on-hold" || order.holdReason !== "awaiting-credit") {
    const where = order.holdReason ? `${order.status} (${order.holdReason})` : order.status;
    throw new IllegalStateError("order.not-awaiting-credit", `order ${order.orderId} is ${where}, not waiting for a credit decision`);
  }
  const reason = command.reason.trim();
  if (!command.approved) {
    if (!reason) throw new ValidationError([{ field: "reason", message: "a refusal of credit needs the reason the customer is told" }]);
    const why = `credit refused: ${reason}`;
    return [transition(order, "cancelled", why), { type: "OrderCancelled", reason: why, reasonCode: "credit-refused", refundDue: order.prepaid }];
  }
  const events: OrderDomainEvent[] = [transition(order, "credit-checked", reason ? `credit approved: ${reason}` : "credit approved by finance")];
  return [...events, ...requestFirstStep(evolveAll(order, events)!)];
}

function creditReason(order: Order): string {
  return order.prepaid ? "prepaid" : `pays by ${order.paymentMethod} on delivery`;
}

function requestFirstStep(order: Order): OrderDomainEvent[] {
  if (order.kind === "goods") {
    return [reservationRequest(order, 1, order.lines)];
  }
  return [assignmentRequest(order, "service")];
}

function recordStockReserved(command: RecordStockReserved, order: Order): OrderDomainEvent[] {
  if (isPartReservation(order, command.reservationId)) {
    return order.status === "cancelled" ? releaseReserved(command, "order was cancelled") : partRerouted(command, order);
  }
  if (order.reservationId !== command.reservationId) {
    // An older reservation than the one the order now waits for: give its stock back.
    return releaseReserved(command, "superseded by a newer reservation");
  }
  if (order.status === "cancelled") {
    // Stock came in for an order cancelled meanwhile: give it back (compensation).
    return releaseReserved(command, "order was cancelled");
  }
  const heldMeanwhile = heldProgress(order, { kind: "reserved", reservationId: command.reservationId, release: releaseReserved(command, "order held for force majeure") });
  if (heldMeanwhile) return heldMeanwhile;
  if (order.status !== "credit-checked" && !(order.status === "on-hold" && order.holdReason === "awaiting-stock")) return [];
  if (command.parts && command.parts.length > 1) return splitOrder({ ...command, parts: command.parts }, order);
  const events: OrderDomainEvent[] = [{ type: "ReservationAnswered", reservationId: command.reservationId, reserved: true }];
  const servedBy = command.storeId && command.storeId !== order.storeId ? command.storeId : undefined;
  if (servedBy) events.push({ type: "StoreRouted", fromStoreId: order.storeId, toStoreId: servedBy, routing: command.routing ?? [] });
  events.push(transition(order, "reserved", servedBy ? `stock reserved at ${servedBy}` : "stock reserved"));
  const reserved = evolveAll(order, events)!;
  if (order.taskId) {
    // Routed again after a store turned the order down: its task moves with it.
    events.push(replanRequest(reserved, order.taskId, `routed to ${reserved.storeId}`));
    return events;
  }
  const taskKind = order.fulfillmentMethod === "pickup" ? "pickup-handover" : "delivery";
  events.push(assignmentRequest(reserved, taskKind));
  return events;
}

function recordStockShortage(command: RecordStockShortage, order: Order): OrderDomainEvent[] {
  if (isPartReservation(order, command.reservationId)) return partShort(command.reservationId, order);
  if (order.reservationId !== command.reservationId) return [];
  const heldMeanwhile = heldProgress(order, { kind: "short", reservationId: command.reservationId });
  if (heldMeanwhile) return heldMeanwhile;
  const answered: OrderDomainEvent = { type: "ReservationAnswered", reservationId: command.reservationId, reserved: false };
  // Still short after a retry: it keeps waiting for the next delivery of stock.
  if (order.status === "on-hold" && order.holdReason === "awaiting-stock") return [answered];
  if (order.status !== "credit-checked") return [];
  return [
    answered,
    putOnHold(order, "awaiting-stock", `out of stock: ${command.skus.join(", ")}`),
  ];
}

function recordTaskAssigned(command: RecordTaskAssigned, order: Order): OrderDomainEvent[] {
  if (isPartTask(order, command.taskId)) return partTaskAssigned(command, order);
  if (order.taskId !== command.taskId || terminalStatuses.has(order.status)) return [];
  const heldMeanwhile = heldProgress(order, { kind: "assigned", taskId: command.taskId, staffId: command.staffId });
  if (heldMeanwhile) return heldMeanwhile;
  const events: OrderDomainEvent[] = [{ type: "AssigneeChanged", taskId: command.taskId, staffId: command.staffId }];
  const waitingForAssignee = order.status === "reserved" || (order.kind === "service" && order.status === "credit-checked");
  // A reassignment after the first one only changes who; the order does not move.
  if (!waitingForAssignee) return events;
  events.push(transition(order, "assigned", `assigned to ${command.staffId}`));
  if (order.kind === "goods" && order.reservationId) {
    events.push({ type: "ShipmentRequested", reservationId: order.reservationId, fulfillmentMethod: order.fulfillmentMethod });
  }
  events.push(settlementRequest(order));
  return events;
}

/**
 * DOMAIN.md: the customer cancels (on a marketplace, through its platform), the order
 * taker and customer service on the customer's behalf, the store manager for the store.
 * Staff who execute or account for the order (clerks, riders, finance) raise the issue instead.
 */
const cancellingRoles: ReadonlySet<string> = new Set(["order-taker", "customer-service", "store-manager"]);

function assertMayCancel(actor: CancelOrder["actor"]): void {
  if (actor.kind === "customer" || actor.kind === "platform" || (actor.kind === "staff" && cancellingRoles.has(actor.role))) return;
  const as = actor.kind === "staff" ? `staff with role ${actor.role}` : actor.kind;
  throw new ForbiddenError(
    "order.cancel-not-permitted",
    `only the customer, their platform, an order taker, customer service or the store manager cancel an order; the caller is ${as}`,
  );
}

/**
 * DOMAIN.md, Confirmation: the order is confirmed with the customer — by them, their platform,
 * or the desk that speaks for them (those who may cancel for them). Staff who execute or account
 * for the order do not speak for the customer.
 */
function assertMayConfirm(actor: OrderCommand["actor"]): void {
  if (actor.kind === "customer" || actor.kind === "platform" || (actor.kind === "staff" && cancellingRoles.has(actor.role))) return;
  const as = actor.kind === "staff" ? `staff with role ${actor.role}` : actor.kind;
  throw new ForbiddenError(
    "order.confirm-not-permitted",
    `only the customer, their platform, an order taker, customer service or the store manager confirm an order with the customer; the caller is ${as}`,
  );
}

/** Where an order holds reserved stock (held for force majeure: where it was held from). */
const holdsStock: ReadonlySet<OrderStatus> = new Set(["reserved", "assigned", "picked", "packed"]);

function cancelOrder(command: CancelOrder, order: Order, checkCaller = true): OrderDomainEvent[] {
  if (checkCaller) assertMayCancel(command.actor);
  if (order.status === "cancelled") return [];
  if (terminalStatuses.has(order.status)) {
    throw new IllegalStateError("order.not-cancellable", `order ${order.orderId} is ${order.status} and cannot be cancelled`);
  }
  if (shippedOrLater.has(order.status)) {
    throw new IllegalStateError("order.not-cancellable", `order ${order.orderId} is already ${order.status}; ask for a return instead`);
  }
  const reason = command.reason.trim() || "cancelled";
  const reasonCode = command.reasonCode ?? defaultCancellationReason(command.actor);
  const open = cancellationReasonsOpenTo(command.actor, order);
  if (checkCaller && command.reasonCode !== undefined && !open.includes(command.reasonCode)) {
    throw new ValidationError([{ field: "reasonCode", message: `a ${command.actor.kind} may name ${open.join(", ")}, not ${command.reasonCode}` }]);
  }
  const events: OrderDomainEvent[] = [transition(order, "cancelled", reason), { type: "OrderCancelled", reason, reasonCode, refundDue: order.prepaid }];
  if (order.parts) {
    events.push(...releaseParts(order, "order cancelled"));
  } else if (order.reservationId && holdsStock.has(isHeldForForceMajeure(order) ? order.forceMajeure!.heldFrom : order.status)) {
    events.push({ type: "StockReleaseRequested", reservationId: order.reservationId, reason: "order cancelled" });
  }
  return events;
}

/** Statuses in which a goods order is no longer on its way to the customer. */
const reachedOrEnded: ReadonlySet<string> = new Set(["delivered", "accepted", "rework", "completed", "settled", "closed", "cancelled", "rejected"]);

/**
 * DOMAIN.md, Tracking: a goods order not delivered by the time its customer asked for is
 * escalated to the store manager, once. Delivered (or ended) meanwhile, or its time moved by
 * a correction since the timer was set: nothing to do.
 */
function deliveryDeadlinePassed(command: DeliveryDeadlinePassed, order: Order): OrderDomainEvent[] {
  if (order.kind !== "goods" || reachedOrEnded.has(order.status) || order.requestedUntil !== command.dueAt) return [];
  // Held for force majeure: nobody can deliver it meanwhile; it gets a deadline again when it resumes (ADR 027).
  if (isHeldForForceMajeure(order)) return [];
  return [{ type: "Escalated", level: 1, reason: `not delivered by ${command.dueAt}, the time the customer asked for: still ${order.status}`, escalatedTo: "store-manager" }];
}

/** DOMAIN.md: unconfirmed orders are followed up, then escalated, then cancelled by rule. */
function confirmationDeadlinePassed(command: ConfirmationDeadlinePassed, order: Order): OrderDomainEvent[] {
  // Confirmed or cancelled in the meantime: the deadline has nothing left to do.
  if (order.status !== "awaiting-confirmation") return [];
  const waited = `not confirmed after ${command.hoursWaited} h`;
  switch (command.stage) {
    case "follow-up":
      return [{ type: "FollowUpRequested", reason: `${waited}: call the customer`, nextStepAt: command.nextStepAt }];
    case "escalation":
      return [{ type: "Escalated", level: 1, reason: `${waited}: still waiting for the customer`, escalatedTo: "store-manager" }];
    case "cancellation": {
      const reason = `${waited}: cancelled by rule`;
      return [transition(order, "cancelled", reason), { type: "OrderCancelled", reason, reasonCode: "not-confirmed", refundDue: order.prepaid }];
    }
    default: {
      const unknown: never = command.stage;
      throw new Error(`unknown stage ${String(unknown)}`);
    }
  }
}

/** A backorder is released by asking the warehouse again, under a new reservation id. */
function retryReservation(order: Order): OrderDomainEvent[] {
  if (order.parts) return retryWaitingPart(order);
  if (order.status !== "on-hold" || order.holdReason !== "awaiting-stock") return [];
  const attempt = (order.reservationAttempt ?? 1) + 1;
  return [reservationRequest(order, attempt, order.lines)];
}
