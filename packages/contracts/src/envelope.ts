import { EventEnvelope } from "./gen/oms/events/v1/envelope.ts";
import { CURRENT_SCHEMA_VERSION, eventCodecs, isKnownEventType, type EventType, type PayloadOf } from "./event-types.ts";

export interface Actor {
  kind: "staff" | "customer" | "platform" | "system";
  id: string;
  role: string;
}

export const systemActor = (service: string): Actor => ({ kind: "system", id: service, role: "system" });

/** What every event carries besides its payload. */
export interface EventMetadata {
  eventId: string;
  occurredAt: Date;
  orderId: string;
  storeId: string;
  correlationId: string;
  causationId: string;
  traceparent: string;
  producer: string;
  actor: Actor;
}

/** A decoded event: a discriminated union over every known event type. */
export type OrderEvent = {
  [T in EventType]: EventMetadata & { type: T; payload: PayloadOf<T> };
}[EventType];

export type OrderEventOf<T extends EventType> = Extract<OrderEvent, { type: T }>;

/** Raised for bytes that are not a readable event; consumers send such messages to the DLQ. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

export function encodeEvent(event: OrderEvent): Uint8Array {
  const codec = eventCodecs[event.type] as { encode(message: unknown): { finish(): Uint8Array } };
  return EventEnvelope.encode({
    eventId: event.eventId,
    eventType: event.type,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    occurredAt: event.occurredAt,
    orderId: event.orderId,
    storeId: event.storeId,
    correlationId: event.correlationId,
    causationId: event.causationId,
    traceparent: event.traceparent,
    producer: event.producer,
    actor: event.actor,
    payload: Buffer.from(codec.encode(event.payload).finish()),
  }).finish();
}

/** The envelope alone: enough to file, route or dead-letter an event of any type. */
export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  let envelope: EventEnvelope;
  try {
    envelope = EventEnvelope.decode(bytes);
  } catch (error) {
    throw new MalformedEventError(`not an event envelope: ${(error as Error).message}`);
  }
  if (!envelope.eventId) throw new MalformedEventError("envelope has no event_id");
  if (!envelope.eventType) throw new MalformedEventError("envelope has no event_type");
  if (!envelope.occurredAt || Number.isNaN(envelope.occurredAt.getTime())) {
    throw new MalformedEventError(`event ${envelope.eventId} has no valid occurred_at`);
  }
  return envelope;
}

/**
 * Decodes a whole event. Returns undefined for an event type this build does not know
 * (a newer producer): consumers skip those. Throws MalformedEventError for unreadable
 * bytes and for a schema version newer than this build understands.
 */
export function decodeEvent(bytes: Uint8Array): OrderEvent | undefined {
  return eventOf(decodeEnvelope(bytes));
}

/** A known event type in a schema version this build does not read: unreadable, whoever it is for. */
export function assertReadableVersion(envelope: EventEnvelope): void {
  if (isKnownEventType(envelope.eventType) && envelope.schemaVersion !== CURRENT_SCHEMA_VERSION) {
    throw new MalformedEventError(
      `event ${envelope.eventId} of type ${envelope.eventType} has schema version ${envelope.schemaVersion}; this build reads ${CURRENT_SCHEMA_VERSION}`,
    );
  }
}

/**
 * The whole event of an envelope already decoded (decodeEvent without decoding the
 * envelope twice): a consumer reads the envelope first and decodes the payload only of
 * the events it acts on.
 */
export function eventOf(envelope: EventEnvelope): OrderEvent | undefined {
  if (!isKnownEventType(envelope.eventType)) return undefined;
  assertReadableVersion(envelope);
  let payload: unknown;
  try {
    payload = eventCodecs[envelope.eventType].decode(envelope.payload);
  } catch (error) {
    throw new MalformedEventError(`event ${envelope.eventId}: payload is not a ${envelope.eventType}: ${(error as Error).message}`);
  }
  const actor = envelope.actor ?? { kind: "system", id: envelope.producer, role: "system" };
  return {
    type: envelope.eventType,
    payload,
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt as Date,
    orderId: envelope.orderId,
    storeId: envelope.storeId,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    traceparent: envelope.traceparent,
    producer: envelope.producer,
    actor: { kind: actor.kind as Actor["kind"], id: actor.id, role: actor.role },
  } as OrderEvent;
}
