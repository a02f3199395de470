import type pg from "pg";
import { encodeEvent, type OrderEvent } from "@oms/contracts";
import { afterCommit, packBytes } from "@oms/postgres";
import { outboxBell, type OutboxBell } from "./outbox-bell.ts";

/**
 * Writes events into the outbox inside the caller's transaction: they are published if
 * and only if the state change that produced them commits. One statement per call,
 * however many events.
 */
export class OutboxWriter {
  readonly #topic: string;
  readonly #bell: OutboxBell;

  constructor(options: { topic: string; schema?: string; bell?: OutboxBell }) {
    this.#topic = options.topic;
    this.#bell = options.bell ?? outboxBell;
  }

  async append(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!this.#topic) throw new Error("this service has no topic of its own and cannot publish events");
    // The payloads travel as one binary parameter cut by offsets (packBytes).
    const payloads = packBytes(events.map((e) => encodeEvent(e)));
    await tx.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, payload)
       SELECT e.event_id, $2, e.message_key, e.event_type, substring($5::bytea FROM e.start FOR e.length)
       FROM unnest($1::text[], $3::text[], $4::text[], $6::int[], $7::int[]) AS e(event_id, message_key, event_type, start, length)`,
      [
        events.map((e) => e.eventId),
        this.#topic,
        events.map((e) => e.orderId),
        events.map((e) => e.type),
        payloads.bytes,
        payloads.starts,
        payloads.lengths,
      ],
    );
    // The relay hears of the rows once they are visible, i.e. after the commit.
    afterCommit(tx, this.#bell.ring);
  }
}

/** Anything events can be appended to in a transaction: the outbox itself, or a batch's buffer of it. */
export type EventAppender = Pick<OutboxWriter, "append">;

/**
 * A consumer batch's events, written to the outbox in one statement at the end of the
 * batch's transaction instead of one per request (same transaction, same order, so
 * nothing changes for readers but the number of round trips).
 */
export class BufferedOutbox implements EventAppender {
  readonly #outbox: OutboxWriter;
  #events: OrderEvent[] = [];

  constructor(outbox: OutboxWriter) {
    this.#outbox = outbox;
  }

  append(_tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
    this.#events.push(...events);
    return Promise.resolve();
  }

  async flush(tx: pg.ClientBase): Promise<void> {
    const events = this.#events;
    this.#events = [];
    await this.#outbox.append(tx, events);
  }
}
