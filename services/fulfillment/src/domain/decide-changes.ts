import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { ApplyCorrection, RecordReservationRejected, ResolveShortage } from "./commands.ts";
import type { OrderDomainEvent } from "./events.ts";
import { evolveAll } from "./evolve.ts";
import type { Order, OrderStatus } from "./order.ts";
import { isPartReservation, partRejected, replanOpenParts } from "./parts.ts";
import { isRouted, replanRequest, reservationRequest } from "./requests.ts";
import { putOnHold } from "./status-change.ts";
import { terminalStatuses } from "./transitions.ts";

/** What changes an order from outside its flow: an approved correction, the customer's answer to a shortage, a store turning a routed order down. */

/** Once the goods or the service reached the customer, nothing is left to re-plan. */
const reachedCustomer: ReadonlySet<OrderStatus> = new Set(["delivered", "accepted", "completed", "settled", "closed"]);
const placeAndTime = new Set(["customer.address", "requestedFrom", "requestedUntil"]);

/**
 * An approved correction: the order takes the new region and window, and an open task
 * that depends on where or when (a delivery, a visit) is re-planned by dispatch. Intake
 * refused corrections that came too late; one that crossed a shipment on the way is still
 * recorded, and re-plans the delivery that is still open.
 */
export function applyCorrection(command: ApplyCorrection, order: Order): OrderDomainEvent[] {
  if (terminalStatuses.has(order.status)) return [];
  const events: OrderDomainEvent[] = [
    {
      type: "CorrectionApplied",
      correctionId: command.correctionId,
      fields: command.fields,
      region: command.region,
      requestedFrom: command.requestedFrom,
      requestedUntil: command.requestedUntil,
    },
  ];
  const replan = command.fields.some((field) => placeAndTime.has(field));
  if (replan && order.parts && !reachedCustomer.has(order.status)) {
    const reason = `corrected ${command.fields.filter((f) => placeAndTime.has(f)).join(", ")}`;
    const corrected = evolveAll(order, events)!;
    events.push(...replanOpenParts(corrected, (part) => replanRequest(corrected, part.taskId, reason, part.storeId, command.correctionId)));
  } else if (replan && order.taskId && !reachedCustomer.has(order.status)) {
    events.push({
      type: "AssignmentReplanRequested",
      taskId: order.taskId,
      region: command.region,
      dueFrom: command.requestedFrom,
      dueUntil: command.requestedUntil,
      reason: `corrected ${command.fields.filter((f) => placeAndTime.has(f)).join(", ")}`,
      correctionId: command.correctionId,
      storeId: order.storeId,
    });
  }
  return events;
}

/**
 * The customer's answer to a shortage: waiting keeps the order on hold as a backorder;
 * substitutes replace the missing lines and the warehouse is asked again, for the new
 * lines, under a new reservation id. Only an order on hold for stock can be answered.
 */
export function resolveShortage(command: ResolveShortage, order: Order): OrderDomainEvent[] {
  if (command.actor.kind !== "customer" && !(command.actor.kind === "staff" && command.actor.role === "order-taker")) {
    throw new ForbiddenError("order.shortage-choice-by-customer", "the customer chooses what happens to an out-of-stock order (or an order taker on their behalf)");
  }
  if (order.status !== "on-hold" || order.holdReason !== "awaiting-stock") {
    throw new IllegalStateError("order.not-short", `order ${order.orderId} is ${order.status}${order.holdReason ? ` (${order.holdReason})` : ""}, not waiting for stock`);
  }
  if (command.choice === "wait") return [{ type: "BackorderAccepted", note: command.note }];
  if (command.lines.length === 0 || command.substitutions.length === 0) {
    throw new ValidationError([{ field: "substitutions", message: "a substitution needs the lines it replaces" }]);
  }
  const { substitutions, lines, totals, refundDueMinor, absorbedMinor } = command;
  const attempt = (order.reservationAttempt ?? 1) + 1;
  return [
    { type: "LinesSubstituted", substitutions, lines, totals, refundDueMinor, absorbedMinor },
    reservationRequest(order, attempt, lines),
  ];
}

/** Where a store may still turn an order down: the goods are not packed yet (as the warehouse and a split order's parts allow). */
const rejectableStatuses: ReadonlySet<OrderStatus> = new Set(["reserved", "assigned", "picked"]);

/**
 * The store a routed order was sent to turned it down (damaged stock, no staff): the
 * order goes back to routing, which tries the stores that have not turned it down. It
 * waits on hold for stock meanwhile, and stays there (in the queue) if no store can serve it.
 */
export function recordReservationRejected(command: RecordReservationRejected, order: Order): OrderDomainEvent[] {
  if (isPartReservation(order, command.reservationId)) return partRejected(command, order);
  if (order.reservationId !== command.reservationId || !isRouted(order)) return [];
  if (!rejectableStatuses.has(order.status)) return [];
  const reason = `${command.storeId} turned it down (${command.reason}); routing to another store`;
  const events: OrderDomainEvent[] = [
    { type: "StoreRejected", storeId: command.storeId, reason: command.reason },
    putOnHold(order, "awaiting-stock", reason),
  ];
  const waiting = evolveAll(order, events)!;
  events.push(reservationRequest(waiting, (order.reservationAttempt ?? 1) + 1, order.lines));
  return events;
}
