/**
 * The order dossier (DOMAIN.md, Archive): every event of an order, filed once and never
 * changed. Pure: no I/O, no clock; the filing time comes from the database.
 *
 * An entry keeps what the envelope says openly (who, what, when, which chain) so the
 * dossier can be listed without opening anything; the whole envelope is kept sealed
 * beside it (adapters/crypto), so nothing is lost even for event types this build does
 * not know.
 */
import type { EventEnvelope } from "@oms/contracts";
import { ValidationError } from "@oms/errors";

export interface DossierActor {
  /** "staff" | "customer" | "platform" | "system", as the producer wrote it. */
  kind: string;
  id: string;
  role: string;
}

/** One event as the dossier files it. */
export interface DossierEntry {
  eventId: string;
  orderId: string;
  storeId: string;
  eventType: string;
  producer: string;
  /** The logical topic it was read from (without namespace). */
  topic: string;
  occurredAt: Date;
  correlationId: string;
  causationId: string;
  actor: DossierActor;
}

/** An entry once filed: the database adds when, and the order in which, it was filed. */
export interface FiledDossierEntry extends DossierEntry {
  filedAt: Date;
  filingSequence: number;
}

export interface DossierSummary {
  orderId: string;
  storeId: string;
  firstEventAt: Date;
  lastEventAt: Date;
  entryCount: number;
}

export interface Dossier {
  summary: DossierSummary;
  /** In the order things happened; events of the same instant in the order they were filed. */
  entries: FiledDossierEntry[];
}

/** What is known about an event before filing: its envelope and where it was read. */
export interface ArrivedEvent {
  envelope: EventEnvelope;
  topic: string;
}

/**
 * The entry an arrived event becomes. Known and unknown event types are filed alike,
 * from the envelope alone. An event that names no order belongs to no dossier: that is
 * refused (the consumer dead-letters it) rather than filed where nobody would find it.
 */
export function dossierEntryOf({ envelope, topic }: ArrivedEvent): DossierEntry {
  const missing = [
    !envelope.eventId && "eventId",
    !envelope.orderId && "orderId",
    !envelope.eventType && "eventType",
    !(envelope.occurredAt && !Number.isNaN(envelope.occurredAt.getTime())) && "occurredAt",
    !topic && "topic",
  ].filter((field): field is string => Boolean(field));
  if (missing.length > 0) {
    throw new ValidationError(
      missing.map((field) => ({ field, message: "is required to file an event in a dossier" })),
      undefined,
      "archive.unfileable-event",
    );
  }
  return {
    eventId: envelope.eventId,
    orderId: envelope.orderId,
    storeId: envelope.storeId,
    eventType: envelope.eventType,
    producer: envelope.producer,
    topic,
    occurredAt: envelope.occurredAt as Date,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    // Same reading as @oms/contracts' decodeEvent: no actor means the producing system acted.
    actor: envelope.actor
      ? { kind: envelope.actor.kind, id: envelope.actor.id, role: envelope.actor.role }
      : { kind: "system", id: envelope.producer, role: "system" },
  };
}
