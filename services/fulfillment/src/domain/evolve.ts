import type { OrderDomainEvent } from "./events.ts";
import type { Order } from "./order.ts";

/** Applies one event to the order; the only place order state changes. */
export function evolve(order: Order | undefined, event: OrderDomainEvent): Order {
  if (event.type === "OrderCreated") return event.order;
  if (!order) throw new Error(`cannot apply ${event.type} to an order that does not exist`);
  switch (event.type) {
    case "StatusChanged":
      return {
        ...order,
        status: event.to,
        holdReason: event.to === "on-hold" ? event.holdReason : undefined,
        reworkCount: event.to === "rework" ? (order.reworkCount ?? 0) + 1 : order.reworkCount,
      };
    case "StoreRouted":
      return { ...order, storeId: event.toStoreId, takenByStoreId: order.takenByStoreId ?? event.fromStoreId };
    case "StoreRejected":
      return { ...order, rejectedByStores: [...(order.rejectedByStores ?? []), event.storeId] };
    case "StockReservationRequested":
      return { ...order, reservationId: event.reservationId, reservationAttempt: (order.reservationAttempt ?? 0) + 1, reservationPending: true, routed: order.routed || event.routing !== undefined };
    case "ReservationAnswered":
      return { ...order, reservationPending: false };
    case "StockReleaseRequested":
      return order;
    case "AssignmentRequested":
      return { ...order, taskId: event.taskId };
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
    case "TrackingRecorded":
      return { ...order, trackingNumber: event.trackingNumber };
    case "DeliveryRecorded":
      return { ...order, delivery: event.delivery };
    case "PaymentCompleted":
      return { ...order, paid: true };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveAll(order: Order | undefined, events: readonly OrderDomainEvent[]): Order | undefined {
  return events.reduce<Order | undefined>((state, event) => evolve(state, event), order);
}
