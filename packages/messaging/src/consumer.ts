import type pg from "pg";
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from "kafkajs";
import { decodeEnvelope, decodeEvent, physicalTopic, type EventEnvelope, type OrderEvent } from "@oms/contracts";
import { withContext, type Logger, type StandardMetrics } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { publishDeadLetter } from "./dead-letter.ts";

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
}

/**
 * Handles all fresh messages of a batch at once, in the batch's transaction: for
 * services that write a batch in one statement or must lock rows in one sorted pass.
 */
export type BatchHandler = (items: BatchItem[], context: { tx: pg.PoolClient; logger: Logger; topic: string }) => Promise<void>;

export type EventHandler = (event: OrderEvent, context: HandlerContext) => Promise<void>;

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
  /** Per event, in order. Give this or `handleBatch`. */
  handle?: EventHandler;
  handleBatch?: BatchHandler;
  /** Events whose type this build does not know; skipped unless this is given (archive files them all). */
  handleUnknown?: (envelope: EventEnvelope, context: HandlerContext) => Promise<void>;
  /** Attempts per message before it is dead-lettered. */
  maxAttempts?: number;
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
}

interface Decoded {
  message: KafkaMessage;
  envelope: EventEnvelope;
  event: OrderEvent | undefined;
}

/**
 * An idempotent, batched consumer. Each Kafka batch is applied in one Postgres
 * transaction that also records the batch's event ids in `processed_events`, so a
 * redelivered event finds its id and changes nothing. If the batch fails, its messages
 * are retried one by one; one that still fails after `maxAttempts` goes to the DLQ and
 * the consumer moves on. Offsets are committed only after the effects are.
 */
export class EventConsumer {
  readonly #options: EventConsumerOptions;
  #consumer: Consumer;
  readonly #physicalToLogical: Map<string, string>;
  #stopped = false;
  #restarts = 0;

  constructor(options: EventConsumerOptions) {
    if (!options.handle === !options.handleBatch) throw new Error(`consumer ${options.name}: give exactly one of handle and handleBatch`);
    this.#options = options;
    this.#physicalToLogical = new Map(options.topics.map((t) => [physicalTopic(t, options.namespace), t]));
    this.#consumer = this.#createConsumer();
  }

  #createConsumer(): Consumer {
    const { kafka, name, namespace, sessionTimeoutMs } = this.#options;
    const consumer = kafka.consumer({
      groupId: physicalTopic(name, namespace),
      sessionTimeout: sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 50,
      allowAutoTopicCreation: false,
    });
    // kafkajs restarts a consumer after retriable failures itself, but gives up for good
    // on a non-retriable one (e.g. no group coordinator after a broker restart) while the
    // process stays up: then we build a new consumer and start again, with backoff.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.#stopped) return;
      const delay = Math.min(30_000, 1_000 * 2 ** this.#restarts++);
      this.#options.logger.error({ err: payload.error, retryInMs: delay }, "consumer crashed for good; starting a new one");
      setTimeout(() => void this.#restart(), delay).unref();
    });
    return consumer;
  }

  async #restart(): Promise<void> {
    if (this.#stopped) return;
    await this.#consumer.disconnect().catch(() => {});
    this.#consumer = this.#createConsumer();
    try {
      await this.start();
      this.#restarts = 0;
    } catch (error) {
      const delay = Math.min(30_000, 1_000 * 2 ** this.#restarts++);
      this.#options.logger.error({ err: error, retryInMs: delay }, "consumer could not start again; retrying");
      setTimeout(() => void this.#restart(), delay).unref();
    }
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [...this.#physicalToLogical.keys()], fromBeginning: true });
    await this.#consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.#processBatch(payload),
    });
  }

  /** Stops fetching, lets the batch in flight finish and commit, and leaves the group. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#consumer.disconnect();
  }

  /** For tests and the fault harness: pause consumption without leaving the group. */
  get kafkaConsumer(): Consumer {
    return this.#consumer;
  }

  async #processBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    if (batch.messages.length === 0) return;
    const started = performance.now();
    const decoded: Decoded[] = [];
    for (const message of batch.messages) {
      const result = this.#decode(message);
      if (result instanceof Error) {
        await this.#deadLetter(batch.topic, batch.partition, message, result, 1);
      } else {
        decoded.push(result);
      }
    }
    try {
      await this.#apply(batch.topic, decoded);
    } catch (error) {
      this.#options.logger.warn({ err: error, topic: batch.topic, size: decoded.length }, "batch failed; retrying its messages one by one");
      for (const item of decoded) {
        if (!isRunning() || isStale()) return;
        await this.#applyWithRetries(batch.topic, batch.partition, item);
        await heartbeat();
      }
    }
    const last = batch.messages.at(-1)!;
    resolveOffset(last.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    this.#options.metrics?.consumerBatchSeconds.observe({ topic: batch.topic }, (performance.now() - started) / 1000);
  }

  #decode(message: KafkaMessage): Decoded | Error {
    if (!message.value) return new Error("message has no value");
    try {
      const envelope = decodeEnvelope(message.value);
      return { message, envelope, event: decodeEvent(message.value) };
    } catch (error) {
      return error as Error;
    }
  }

  async #apply(physical: string, items: Decoded[]): Promise<void> {
    if (items.length === 0) return;
    const { name, pool, handle, handleBatch, handleUnknown, logger, metrics } = this.#options;
    const topic = this.#physicalToLogical.get(physical) ?? physical;
    let applied = 0;
    let skipped = 0;
    await withTransaction(pool, async (tx) => {
      const inserted = await tx.query<{ event_id: string }>(
        `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [name, items.map((i) => i.envelope.eventId)],
      );
      const fresh = new Set(inserted.rows.map((r) => r.event_id));
      applied = 0;
      skipped = 0;
      // Seen before (redelivery) or twice in this batch: the first effect stands.
      const freshItems = items.filter((item) => fresh.delete(item.envelope.eventId));
      if (handleBatch) {
        await handleBatch(
          freshItems.map((i) => ({ event: i.event, envelope: i.envelope, value: i.message.value! })),
          { tx, logger, topic },
        );
        applied = freshItems.length;
        return;
      }
      for (const item of freshItems) {
        const context: HandlerContext = {
          tx,
          topic,
          envelope: item.envelope,
          value: item.message.value!,
          logger: withContext(logger, {
            orderId: item.envelope.orderId,
            correlationId: item.envelope.correlationId,
            eventId: item.envelope.eventId,
            eventType: item.envelope.eventType,
          }),
        };
        if (item.event) {
          await handle!(item.event, context);
          applied++;
        } else if (handleUnknown) {
          await handleUnknown(item.envelope, context);
          applied++;
        } else {
          skipped++;
        }
      }
    });
    metrics?.eventsConsumed.inc({ topic: physical, outcome: "applied" }, applied);
    metrics?.eventsConsumed.inc({ topic: physical, outcome: "skipped" }, skipped);
    metrics?.eventsConsumed.inc({ topic: physical, outcome: "duplicate" }, items.length - applied - skipped);
  }

  async #applyWithRetries(topic: string, partition: number, item: Decoded): Promise<void> {
    const maxAttempts = this.#options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#apply(topic, [item]);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          await this.#deadLetter(topic, partition, item.message, error, attempt);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  async #deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number) {
    const { producer, name, logger, metrics } = this.#options;
    logger.error(
      { err: error, topic, partition, offset: message.offset, eventId: headerValue(message, "event-id") },
      "message dead-lettered",
    );
    await publishDeadLetter(producer, { topic, partition, message, error, consumer: name, attempts });
    metrics?.eventsConsumed.inc({ topic, outcome: "dead-lettered" });
  }
}

function headerValue(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : String(value);
}
