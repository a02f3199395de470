import { randomUUID } from "node:crypto";
import type { EventType, PayloadOf } from "./event-types.ts";
import type { Actor, EventMetadata, OrderEvent, OrderEventOf } from "./envelope.ts";

/** Where a new event comes from: the event or request that caused it, and who acted. */
export interface EventOrigin {
  producer: string;
  orderId: string;
  storeId: string;
  actor: Actor;
  /** The chain this event belongs to; a new chain starts with its first event's id. */
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
  /** Injected in tests for determinism; the wall clock otherwise. */
  now?: Date;
}

/** An event caused by `cause`: same order, store and correlation; causation is the cause's id. */
export function originFrom(cause: EventMetadata, producer: string, actor?: Actor): EventOrigin {
  return {
    producer,
    orderId: cause.orderId,
    storeId: cause.storeId,
    actor: actor ?? { kind: "system", id: producer, role: "system" },
    correlationId: cause.correlationId || cause.eventId,
    causationId: cause.eventId,
    traceparent: cause.traceparent,
  };
}

export function newEvent<T extends EventType>(type: T, payload: PayloadOf<T>, origin: EventOrigin): OrderEventOf<T> {
  const eventId = randomUUID();
  return {
    type,
    payload,
    eventId,
    occurredAt: origin.now ?? new Date(),
    orderId: origin.orderId,
    storeId: origin.storeId,
    correlationId: origin.correlationId || eventId,
    causationId: origin.causationId ?? "",
    traceparent: origin.traceparent ?? "",
    producer: origin.producer,
    actor: origin.actor,
  } as OrderEvent as OrderEventOf<T>;
}
