import type { KafkaMessage } from "kafkajs";
import { encodeEvent, newEvent, systemActor, type EventType, type OrderEvent, type PayloadOf } from "@oms/contracts";
import type { CheckContext } from "./context.ts";

/** What the invariant specs plant: events as the services publish them, and messages as the harness reads them off the topics. */
export function eventOf<T extends EventType>(type: T, payload: PayloadOf<T>, orderId: string, producer = "fulfillment"): OrderEvent {
  return newEvent(type, payload, { producer, orderId, storeId: "store-1", actor: systemActor(producer) });
}

/** A message as topic-dump.ts returns it; dead letters carry the consumer that gave up on it. */
export function messageOf(value: Uint8Array | Buffer | OrderEvent | null, headers: Record<string, string> = {}): KafkaMessage {
  const bytes = value === null ? null : value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(encodeEvent(value));
  return { key: null, value: bytes, headers, offset: "0", timestamp: "0", attributes: 0 } satisfies KafkaMessage;
}

/** A context whose topics hold these messages and whose database is `db` (none: a check that must not read it). */
export function contextOf(topics: Record<string, KafkaMessage[]>, more: Partial<CheckContext> = {}): CheckContext {
  return {
    db: undefined as never,
    accepted: new Map(),
    sent: new Set(),
    endOf: () => "closed",
    goodwillAskedFor: () => 0,
    complaintRefundFor: () => 0,
    planted: [],
    topics: new Map(Object.entries(topics)),
    ...more,
  };
}
