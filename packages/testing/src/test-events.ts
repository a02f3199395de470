import { randomUUID } from "node:crypto";
import { EventTypes, newEvent, type OrderEvent } from "@oms/contracts";

/** An order's status change as fulfillment would announce it: the event the backbone's tests move around. */
export function orderStatusChanged(orderId: string = randomUUID(), toStatus = "confirmed"): OrderEvent {
  return newEvent(EventTypes.OrderStatusChanged, { fromStatus: "received", toStatus, reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, {
    producer: "test",
    orderId,
    storeId: "store-test",
    actor: { kind: "system", id: "test", role: "system" },
  });
}
