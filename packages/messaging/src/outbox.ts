import type pg from "pg";
import { encodeEvent, type OrderEvent } from "@oms/contracts";
import { afterCommit, packBytes, StatementParameters } from "@oms/postgres";
import { outboxBell, type OutboxBell } from "./outbox-bell.ts";

/**
 * Writes events into the outbox inside the caller's transaction: they are published if
 * and only if the state change that produced them commits. One statement per call,
 * however many events.
 */
export class OutboxWriter {
  readonly #topic: string;
  readonly #bell: OutboxBell;

  constructor(options: {
    topic: string;
    /**
     * @deprecated Ignored: rows go to the `outbox` of the schema the transaction's connection
     * works in (its search_path). Kept only while tests under services/ and test/ still pass it.
     */
    schema?: string;
    bell?: OutboxBell;
  }) {
    this.#topic = options.topic;
    this.#bell = options.bell ?? outboxBell;
  }

  async append(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
    if (events.length === 0) return;
    const parameters = new StatementParameters();
    await tx.query(this.#insert(events, parameters), parameters.values);
    // The relay hears of the rows once they are visible, i.e. after the commit.
    afterCommit(tx, this.#bell.ring);
  }

  /**
   * Events about a store or the chain rather than an order (a store's profile, a price-list
   * item: ADR 028), whose envelopes carry no order id: keyed by what they are about instead,
   * so one subject's publications stay in order on one partition. Order events go through
   * `append`, keyed by their order id as ever.
   */
  async appendKeyed(tx: pg.ClientBase, messageKey: string, events: readonly OrderEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!messageKey) throw new Error("an event not keyed by its order needs a message key of its own");
    const parameters = new StatementParameters();
    await tx.query(this.#insert(events, parameters, undefined, messageKey), parameters.values);
    afterCommit(tx, this.#bell.ring);
  }

  /**
   * The insert as one step of a larger data-modifying statement (`WITH … AS (step)`), for
   * a writer whose whole transaction is that one statement: only the events whose key,
   * their order id, is among the `order_id`s returned by `keysFrom`, an earlier step, are
   * written. Once the statement has run, call `committed()`.
   */
  insertStep(events: readonly OrderEvent[], parameters: StatementParameters, keysFrom: string): string {
    return this.#insert(events, parameters, keysFrom);
  }

  /** Tells the relay that a statement holding an insertStep has committed. */
  committed(): void {
    this.#bell.ring();
  }

  #insert(events: readonly OrderEvent[], parameters: StatementParameters, keysFrom?: string, messageKey?: string): string {
    if (!this.#topic) throw new Error("this service has no topic of its own and cannot publish events");
    // The payloads travel as one binary parameter cut by offsets (packBytes).
    const payloads = packBytes(events.map((e) => encodeEvent(e)));
    const topic = parameters.add(this.#topic);
    const bytes = parameters.add(payloads.bytes);
    const unnested = [
      parameters.addArray(events.map((e) => e.eventId), "text"),
      parameters.addArray(events.map((e) => messageKey ?? e.orderId), "text"),
      parameters.addArray(events.map((e) => e.type), "text"),
      parameters.addArray(payloads.starts, "int"),
      parameters.addArray(payloads.lengths, "int"),
    ];
    const onlyTheirKeys = keysFrom ? ` WHERE e.message_key IN (SELECT order_id FROM ${keysFrom})` : "";
    return `INSERT INTO outbox (event_id, topic, message_key, event_type, payload)
       SELECT e.event_id, ${topic}, e.message_key, e.event_type, substring(${bytes}::bytea FROM e.start FOR e.length)
       FROM unnest(${unnested.join(", ")}) AS e(event_id, message_key, event_type, start, length)${onlyTheirKeys}`;
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
