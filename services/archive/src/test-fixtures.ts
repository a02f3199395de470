import { randomUUID } from "node:crypto";
import { EventEnvelope, EventTypes, events, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";

/** Events of one order as the services publish them, for the archive's specs. */
export const storeId = `store-${randomUUID().slice(0, 8)}`;
export const customerName = "Wang Xiaoming";

export const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 8, minute));

export function origin(orderId: string, producer: string, minute: number): EventOrigin {
  return { producer, orderId, storeId, actor: { kind: "system", id: producer, role: "system" }, now: at(minute) };
}

export function orderReceived(orderId: string, minute: number): OrderEvent {
  const payload = events.OrderReceived.fromPartial({
    reviewId: "",
    order: {
      orderId,
      storeId,
      channel: "website",
      kind: "goods",
      customer: { customerId: "c-42", name: customerName, phone: "+86 138 0013 8000", email: "wang@example.cn" },
      lines: [{ lineId: "l-1", sku: "TEA-01", quantity: 2, unitPriceMinor: 1_500, lineTotalMinor: 3_000 }],
    },
  });
  return newEvent(EventTypes.OrderReceived, payload, origin(orderId, "intake", minute));
}

export function stockReserved(orderId: string, minute: number): OrderEvent {
  return newEvent(EventTypes.StockReserved, events.StockReserved.fromPartial({ reservationId: randomUUID() }), origin(orderId, "warehouse", minute));
}

export function settlementPrepared(orderId: string, minute: number): OrderEvent {
  const payload = events.SettlementPrepared.fromPartial({ settlementId: randomUUID(), paymentMethod: "cash", status: "awaiting-payment" });
  return newEvent(EventTypes.SettlementPrepared, payload, origin(orderId, "billing", minute));
}

/** An event of a type newer than this build: only its envelope can be read. */
export function futureEnvelope(orderId: string, minute: number, eventId = randomUUID()): { key: string; value: Buffer } {
  const value = EventEnvelope.encode({
    eventId,
    eventType: "oms.events.v9.Future",
    schemaVersion: 1,
    occurredAt: at(minute),
    orderId,
    storeId,
    correlationId: eventId,
    causationId: "",
    traceparent: "",
    producer: "after-sales",
    actor: { kind: "staff", id: "agent-3", role: "customer-service" },
    payload: Buffer.from("bytes nobody here can decode"),
  }).finish();
  return { key: orderId, value: Buffer.from(value) };
}
