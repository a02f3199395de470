import type { OrderDomainEvent } from "./events.ts";
import type { HoldReason, Order } from "./order.ts";

/** Applies one event to the order; the only place order state changes. */
export function evolve(order: Order | undefined, event: OrderDomainEvent): Order {
  if (event.type === "OrderCreated") return event.order;
  if (!order) throw new Error(`cannot apply ${event.type} to an order that does not exist`);
  switch (event.type) {
    case "StatusChanged":
      return {
        ...order,
        status: event.to,
        holdReason: event.to === "on-hold" ? event.holdReason : partWaitingFor(order),
        reworkCount: event.to === "rework" ? (order.reworkCount ?? 0) + 1 : order.reworkCount,
      };
    case "StoreRouted":
      return { ...order, storeId: event.toStoreId, takenByStoreId: order.takenByStoreId ?? event.fromStoreId };
    case "StoreRejected":
      return { ...order, rejectedByStores: [...(order.rejectedByStores ?? []), event.storeId] };
    case "StockReservationRequested":
      if (event.partId) return { ...order, reservationAttempt: (order.reservationAttempt ?? 0) + 1 };
      return { ...order, reservationId: event.reservationId, reservationAttempt: (order.reservationAttempt ?? 0) + 1, reservationPending: true, routed: order.routed || event.routing !== undefined };
    case "OrderSplit":
      return { ...order, parts: event.parts };
    case "PartUpdated": {
      const parts = (order.parts ?? []).map((part) => (part.partId === event.partId ? { ...part, ...event.patch } : part));
      return { ...order, parts, holdReason: order.status === "on-hold" ? order.holdReason : partWaitingFor({ ...order, parts }) };
    }
    case "ReservationAnswered":
      return { ...order, reservationPending: false };
    case "StockReleaseRequested":
      return order;
    case "AssignmentRequested":
      // A split order's parts have tasks of their own; the order's stays the first one it had.
      return { ...order, taskId: order.parts ? (order.taskId ?? event.taskId) : event.taskId };
    case "SettlementRequested":
      return { ...order, settlementId: event.settlementId };
    case "AssigneeChanged":
      return { ...order, assigneeStaffId: event.staffId };
    case "LinesSubstituted":
      return { ...order, lines: event.lines, totals: event.totals };
    case "BackorderAccepted":
      return order;
    case "ExceptionRaised":
      return { ...order, exceptions: [...(order.exceptions ?? []), event.exception] };
    case "ReadyForPickup":
      return { ...order, pickup: event.pickup };
    case "CorrectionApplied":
      return { ...order, region: event.region, requestedFrom: event.requestedFrom, requestedUntil: event.requestedUntil };
    case "AssignmentReplanRequested":
    case "OrderCancelled":
    case "ShipmentRequested":
    case "FollowUpRequested":
    case "Escalated":
      return order;
    case "ForceMajeureHeld":
      return { ...order, forceMajeure: event.hold };
    case "HeldWorkNoted":
      return { ...order, forceMajeure: { ...order.forceMajeure!, ...event.patch } };
    case "ForceMajeureResumed":
      return { ...order, forceMajeure: { ...order.forceMajeure!, resumedAt: event.at }, forceMajeureRound: (order.forceMajeureRound ?? 0) + 1 };
    case "ForceMajeureChoiceRecorded":
      return { ...order, forceMajeure: { ...order.forceMajeure!, choice: event.choice } };
    case "AcceptancePeriodExtended":
      return order.delivery ? { ...order, delivery: { ...order.delivery, acceptBy: event.acceptBy } } : order;
    case "WindowRenegotiated":
      return { ...order, requestedFrom: event.requestedFrom, requestedUntil: event.requestedUntil };
    case "TrackingRecorded":
      return { ...order, trackingNumber: event.trackingNumber };
    case "DeliveryRecorded":
      return { ...order, delivery: event.delivery, collectedAtDoorMinor: (order.collectedAtDoorMinor ?? 0) + event.delivery.collectedMinor };
    case "PaymentCompleted":
      return { ...order, paid: true };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

/** A split order with a part waiting in the queue waits for stock too (the backorder release finds it by that). */
function partWaitingFor(order: Order): HoldReason | undefined {
  return order.parts?.some((part) => part.stage === "awaiting-stock") ? "awaiting-stock" : undefined;
}

export function evolveAll(order: Order | undefined, events: readonly OrderDomainEvent[]): Order | undefined {
  return events.reduce<Order | undefined>((state, event) => evolve(state, event), order);
}
