import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { OrderDomainEvent } from "../domain/events.ts";
import type { Order } from "../domain/order.ts";
import { parcelShippedWithoutStatusChange } from "./parcel-shipped.ts";

/** Who and what caused a change; the order supplies its own id and store. */
export type OrderEventCause = Omit<EventOrigin, "orderId" | "storeId" | "producer">;

const isShipment = (status: string) => status === "shipped" || status === "partially-shipped";

/** Fulfillment's decisions as contract events on its topic (the wire shape analytics and other services read). */
export function toContractEvents(events: readonly OrderDomainEvent[], order: Order, cause: OrderEventCause): OrderEvent[] {
  const origin: EventOrigin = { ...cause, producer: "fulfillment", orderId: order.orderId, storeId: order.storeId };
  // A shipment's status change names the parcel that left, recorded in the same decision.
  const shipped = events.find((e) => e.type === "TrackingRecorded");
  const parcel = shipped?.type === "TrackingRecorded" ? { carrier: shipped.carrier, trackingNumber: shipped.trackingNumber } : { carrier: "", trackingNumber: "" };
  return events.flatMap((event): OrderEvent[] => {
    switch (event.type) {
      case "OrderCreated":
        return [
          newEvent(
            EventTypes.OrderCreated,
            { order: canonicalSummary(event.order), status: event.order.status, priority: event.order.priority, classification: event.order.classification },
            origin,
          ),
        ];
      case "StatusChanged":
        return [
          newEvent(
            EventTypes.OrderStatusChanged,
            {
              fromStatus: event.from,
              toStatus: event.to,
              reason: event.reason,
              holdReason: event.to === "on-hold" ? (event.holdReason ?? "") : "",
              ...(isShipment(event.to) ? parcel : { carrier: "", trackingNumber: "" }),
            },
            origin,
          ),
        ];
      case "StockReservationRequested":
        return [
          newEvent(
            EventTypes.StockReservationRequested,
            {
              reservationId: event.reservationId,
              lines: event.lines.map((l) => ({ ...l, specialRequests: "" })),
              priority: event.priority,
              route: event.routing !== undefined,
              district: event.routing?.district ?? "",
              excludedStoreIds: event.routing?.excludedStoreIds ?? [],
              splitAllowed: event.routing?.splitAllowed ?? false,
            },
            origin,
          ),
        ];
      case "TrackingRecorded":
        return parcelShippedWithoutStatusChange(events, event, order, origin);
      case "StockReleaseRequested":
        return [newEvent(EventTypes.StockReleaseRequested, { reservationId: event.reservationId, reason: event.reason }, atStore(origin, event.storeId))];
      case "AssignmentRequested": {
        const { storeId, type, ...request } = event;
        return [newEvent(EventTypes.AssignmentRequested, request, atStore(origin, storeId))];
      }
      case "SettlementRequested":
        return [
          newEvent(
            EventTypes.SettlementRequested,
            { settlementId: event.settlementId, totals: event.totals, paymentMethod: event.paymentMethod, prepaid: event.prepaid, channel: event.channel },
            origin,
          ),
        ];
      case "OrderCancelled":
        return [newEvent(EventTypes.OrderCancelled, { reason: event.reason, reasonCode: event.reasonCode, refundDue: event.refundDue }, origin)];
      case "ShipmentRequested":
        return [
          newEvent(EventTypes.ShipmentRequested, { reservationId: event.reservationId, fulfillmentMethod: event.fulfillmentMethod, destination: undefined }, atStore(origin, event.storeId)),
        ];
      case "DeliveryRecorded": {
        const { acceptBy, ...delivery } = event.delivery;
        const part = { reservationId: event.part?.reservationId ?? "", taskId: event.part?.taskId ?? "" };
        return [newEvent(EventTypes.DeliveryRecorded, { ...delivery, ...part }, atStore(origin, event.part?.storeId))];
      }
      case "FollowUpRequested":
        return [newEvent(EventTypes.OrderFollowUpRequested, { reason: event.reason, nextStepAt: event.nextStepAt }, origin)];
      case "Escalated":
        return [newEvent(EventTypes.OrderEscalated, { level: event.level, reason: event.reason, escalatedTo: event.escalatedTo }, origin)];
      case "AssignmentReplanRequested":
        return [
          newEvent(
            EventTypes.AssignmentReplanRequested,
            {
              taskId: event.taskId,
              region: event.region,
              dueFrom: event.dueFrom,
              dueUntil: event.dueUntil,
              reason: event.reason,
              correctionId: event.correctionId,
              storeId: event.storeId,
            },
            origin,
          ),
        ];
      case "StoreRouted":
        return [newEvent(EventTypes.OrderRouted, { fromStoreId: event.fromStoreId, toStoreId: event.toStoreId }, origin)];
      case "StoreRejected":
        // Warehouse's ReservationRejected is the fact.
        return [];
      case "ExceptionRaised": {
        const { kind, cause, nextStep, newEta } = event.exception;
        return [newEvent(EventTypes.OrderExceptionRaised, { kind, cause, nextStep, newEta }, origin)];
      }
      case "LinesSubstituted":
        return [
          newEvent(
            EventTypes.OrderLinesSubstituted,
            {
              substitutions: event.substitutions,
              lines: event.lines.map((l) => ({ ...l, specialRequests: "" })),
              totals: event.totals,
              refundDueMinor: event.refundDueMinor,
              absorbedMinor: event.absorbedMinor,
            },
            origin,
          ),
        ];
      case "BackorderAccepted":
        return [newEvent(EventTypes.BackorderAccepted, { note: event.note }, origin)];
      case "ReadyForPickup":
        // The code stays out: only the customer sees it, on their order.
        return [newEvent(EventTypes.OrderReadyForPickup, { readyAt: event.pickup.readyAt, collectBy: event.pickup.collectBy }, origin)];
      case "ForceMajeureHeld":
      case "HeldWorkNoted":
      case "ForceMajeureResumed":
      case "ForceMajeureChoiceRecorded":
      case "WindowRenegotiated":
      case "AcceptancePeriodExtended":
        // Told by the status change (hold_reason "force-majeure", the choice in its reason) and the exception notice beside it (ADR 027).
        return [];
      case "OrderSplit":
      case "PartUpdated":
        // The warehouse's StockReserved (with its parts) and each part's shipment events are the facts.
      case "CorrectionApplied":
        // Intake's OrderCorrected is the fact; fulfillment only brings its copy up to date.
      case "AssigneeChanged":
      case "ReservationAnswered":
      case "PaymentCompleted":
        // The facts behind these (TaskAssigned, ShipmentDispatched, OrderSettled) are other services' events already.
        return [];
      default: {
        const unknown: never = event;
        throw new Error(`unmapped event ${JSON.stringify(unknown)}`);
      }
    }
  });
}

/** A split order's part is the business of its own store. */
function atStore(origin: EventOrigin, storeId: string | undefined): EventOrigin {
  return storeId ? { ...origin, storeId } : origin;
}

/** The order as other services may see it from fulfillment: no personal data. */
function canonicalSummary(order: Order) {
  return {
    orderId: order.orderId,
    storeId: order.storeId,
    channel: order.channel,
    channelOrderId: order.channelOrderId,
    kind: order.kind,
    fulfillmentMethod: order.fulfillmentMethod,
    region: order.region,
    customer: { customerId: order.customerId, name: "", phone: "", email: "", address: undefined, vip: order.vip },
    lines: order.lines.map((l) => ({ ...l, specialRequests: "" })),
    totals: order.totals,
    paymentMethod: order.paymentMethod,
    prepaid: order.prepaid,
    orderedAt: "",
    requestedFrom: order.requestedFrom,
    requestedUntil: order.requestedUntil,
    tags: order.tags,
    notes: "",
    confirmedByChannel: false,
    partialShipmentAllowed: order.partialShipmentAllowed ?? false,
    // Fulfillment keeps no personal data, sealed or not: its summary names nobody.
    sealedContact: Buffer.alloc(0),
  };
}
