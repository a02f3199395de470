import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { OrderDomainEvent } from "../domain/events.ts";
import type { Order } from "../domain/order.ts";

type TrackingRecorded = Extract<OrderDomainEvent, { type: "TrackingRecorded" }>;

/**
 * A parcel's tracking number told on its own when no status change of the same decision
 * carries it: a split order's middle part leaves while the order stays partially shipped.
 * The part is the one the decision gave this tracking number.
 */
export function parcelShippedWithoutStatusChange(decision: readonly OrderDomainEvent[], tracking: TrackingRecorded, order: Order, origin: EventOrigin): OrderEvent[] {
  if (decision.some((e) => e.type === "StatusChanged")) return [];
  const shippedPart = decision.find((e) => e.type === "PartUpdated" && e.patch.trackingNumber === tracking.trackingNumber);
  const part = shippedPart?.type === "PartUpdated" ? order.parts?.find((p) => p.partId === shippedPart.partId) : undefined;
  if (!part) return [];
  return [
    newEvent(
      EventTypes.OrderParcelShipped,
      // The order's status as the parcel left it: partially delivered once an earlier part arrived, not shipped again.
      { partId: part.partId, storeId: part.storeId, carrier: tracking.carrier, trackingNumber: tracking.trackingNumber, orderStatus: order.status },
      { ...origin, storeId: part.storeId || origin.storeId },
    ),
  ];
}
