import type pg from "pg";
import type { Kafka, Producer } from "kafkajs";
import type { EventEnvelope, OrderEvent } from "@oms/contracts";
import type { Logger, StandardMetrics } from "@oms/observability";

/** What a handler gets besides the event: the transaction its effect must be written in. */
export interface HandlerContext {
  tx: pg.PoolClient;
  logger: Logger;
  /** The logical topic (without namespace) the event came from. */
  topic: string;
  envelope: EventEnvelope;
  /** The message value exactly as it was on the topic. */
  value: Buffer;
}

/** One fresh (not yet processed) message of a batch, for handlers that work set-wise. */
export interface BatchItem {
  /** Undefined for an event type this build does not know. */
  event: OrderEvent | undefined;
  envelope: EventEnvelope;
  value: Buffer;
  /** The logical topic (without namespace) the event came from. */
  topic: string;
}

/**
 * Handles all fresh messages of a topic in a fetch at once (every partition's batch, each
 * in its order), or of every topic with `batchAcrossTopics`, in the fetch's transaction:
 * for services that write a batch in one statement or must lock rows in one sorted pass.
 */
export type BatchHandler = (items: BatchItem[], context: { tx: pg.PoolClient; logger: Logger }) => Promise<void>;

export type EventHandler = (event: OrderEvent, context: HandlerContext) => Promise<void>;

/**
 * How long the broker holds a fetch when a consumer's partitions have nothing new. Only an
 * idle consumer waits it out (a fetch returns as soon as an event arrives), so it costs no
 * latency; it bounds how often idle consumers ask, which at 500 ms was a seventh of a core
 * of broker and clients for an idle system, and how long a stop waits for the fetch in flight.
 */
export const defaultConsumerMaxWaitMs = 2_000;

export interface EventConsumerOptions {
  kafka: Kafka;
  pool: pg.Pool;
  /** Producer used for dead letters. */
  producer: Producer;
  logger: Logger;
  metrics?: StandardMetrics;
  /** Consumer group and inbox name, e.g. "warehouse". */
  name: string;
  topics: readonly string[];
  namespace?: string;
  /**
   * Who keeps a redelivered event from having a second effect. "inbox" (the default): the
   * consumer records every event id in its inbox, `processed_events`, in the batch's
   * transaction, and hands the handler only ids it had not seen. "handler": the handler's
   * own writes are keyed by the event id and skip one already there (the archive's filed
   * entries are), so the inbox row would only repeat that key — a row, an index entry and
   * WAL for every event, the archive's being a third of all inbox rows. Redeliveries then
   * reach the handler; an id given twice in one transaction still reaches it once.
   */
  deduplication?: "inbox" | "handler";
  /**
   * The handler reads envelopes only (the archive files them as they came): payloads are
   * not decoded and every item's `event` is undefined. Envelopes are still checked, so an
   * unreadable one still goes to the DLQ; a payload is judged by the consumers that read it.
   * For `handleBatch`, without `actsOn`.
   */
  envelopeOnly?: boolean;
  /** Per event, in order. Give this or `handleBatch`. */
  handle?: EventHandler;
  handleBatch?: BatchHandler;
  /**
   * One handleBatch call for every topic of a fetch, topic after topic, instead of one per
   * topic: for a handler that locks rows for events of several topics (fulfillment locks
   * each event's order). Locked in one sorted statement, they cannot deadlock with another
   * transaction doing the same; locked topic by topic they did (Postgres found it only
   * after its deadlock_timeout, a second, and the batch was done again).
   */
  batchAcrossTopics?: boolean;
  /**
   * The event types the handlers act on. Given, every other event is passed over without a
   * transaction or an inbox row: a consumer that reads a busy topic for a few of its types
   * (warehouse, dispatch, billing on fulfillment's topic) then pays for those alone. Events
   * that cannot be decoded still go to the DLQ. Omitted: every event reaches the handlers.
   */
  eventTypes?: readonly string[];
  /**
   * Of the decoded events, those the handlers act on; the rest are passed over like foreign
   * types (dispatch acts on three of an order's dozen status changes).
   */
  actsOn?: (event: OrderEvent) => boolean;
  /** Events whose type this build does not know; skipped unless this is given (archive files them all). */
  handleUnknown?: (envelope: EventEnvelope, context: HandlerContext) => Promise<void>;
  /** Attempts per message, for failures of the message itself, before it is dead-lettered. */
  maxAttempts?: number;
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  /**
   * Most bytes a fetch brings from a partition (default 256 KB, a few hundred events): the
   * bound of a fetch's transaction, and so of how long it holds the rows it locks.
   */
  maxBytesPerPartition?: number;
  /** The broker answers a fetch at `minBytes` or after `maxWaitMs` (default: at once, or `defaultConsumerMaxWaitMs` when idle). */
  fetch?: { minBytes: number; maxWaitMs: number };
  /** Waits between tries while the infrastructure is failing: doubling from the first to the cap. */
  infrastructureBackoff?: { initialMs: number; maxMs: number };
  /**
   * How often the group's offsets are committed (default 1 s), and on stop and rebalance.
   * A crash redoes at most this long's batches, which the inbox makes harmless; committing
   * after every batch instead cost a broker round trip per partition's batch.
   */
  commitIntervalMs?: number;
}
