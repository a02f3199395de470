import type { Consumer, EachBatchPayload, KafkaMessage } from "kafkajs";
import type pg from "pg";
import { assertReadableVersion, decodeEnvelope, eventOf, physicalTopic, type EventEnvelope, type OrderEvent } from "@oms/contracts";
import { failureKindOf } from "@oms/errors";
import { withContext } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { CrashRecovery } from "./crash-recovery.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import { itemsByTopic } from "./items-by-topic.ts";
import { SameTurnGatherer } from "./same-turn-gatherer.ts";
import { defaultConsumerMaxWaitMs, type EventConsumerOptions, type HandlerContext } from "./consumer-options.ts";

/** While the database restarts: 200 ms doubling to 10 s, so recovery is noticed within seconds. */
const defaultInfrastructureBackoff = { initialMs: 200, maxMs: 10_000 };

/** The heartbeat and liveness hooks of the batch being processed. */
type BatchControl = Pick<EachBatchPayload, "heartbeat" | "isRunning" | "isStale">;

interface Decoded {
  message: KafkaMessage;
  envelope: EventEnvelope;
  event: OrderEvent | undefined;
}

/** One partition's batch of decoded messages, as applied in a transaction. */
interface Part {
  physical: string;
  items: Decoded[];
  heartbeat: () => Promise<void>;
}

/**
 * An idempotent, batched consumer. The batches of one fetch (one per partition) are
 * applied in one Postgres transaction that also records their event ids in
 * `processed_events`, so a redelivered event finds its id and changes nothing (unless the
 * handler deduplicates by itself: `deduplication: "handler"`). Offsets
 * are committed only after the effects are, once a second (`commitIntervalMs`).
 *
 * Failures are told apart (failure-kind.ts). When the infrastructure fails (the database
 * restarts, a connection drops, a transaction loses a race), the batch is tried again,
 * whole, with capped exponential backoff and heartbeats in between, for as long as it
 * takes: the consumer stays in its group, its offset stays where it was, and nothing is
 * dead-lettered. When batches applied together fail, each is tried on its own; when a
 * batch fails for anything else, its messages are tried one by one; one that still fails
 * after `maxAttempts` goes to the DLQ and the consumer moves on.
 */
export class EventConsumer {
  readonly #options: EventConsumerOptions;
  #consumer: Consumer;
  readonly #physicalToLogical: Map<string, string>;
  #stopped = false;
  readonly #recovery: CrashRecovery;
  /** The crash recovery's latest restart, which stop() waits for so that it can stop what that started. */
  #restarting: Promise<void> | undefined;
  /**
   * Batches that kafkajs hands over in the same moment — the partitions of one fetch — are
   * applied in one transaction: one inbox statement and one commit instead of one per
   * partition, and an event waits for one transaction of its fetch instead of a queue of
   * them. When a batch came alone, or the batches failed together, each is applied on its
   * own, as before, with its own retries and dead letters.
   */
  readonly #together = new SameTurnGatherer<Part>(
    (parts) => this.#apply(parts),
    (error, count) => this.#options.logger.warn({ err: error, batches: count }, "batches applied together failed; each is applied on its own"),
  );

  constructor(options: EventConsumerOptions) {
    if (!options.handle === !options.handleBatch) throw new Error(`consumer ${options.name}: give exactly one of handle and handleBatch`);
    if (options.batchAcrossTopics && !options.handleBatch) throw new Error(`consumer ${options.name}: batchAcrossTopics is for handleBatch`);
    if (options.envelopeOnly && (!options.handleBatch || options.actsOn)) throw new Error(`consumer ${options.name}: envelopeOnly is for handleBatch without actsOn`);
    this.#options = options;
    this.#physicalToLogical = new Map(options.topics.map((t) => [physicalTopic(t, options.namespace), t]));
    this.#recovery = new CrashRecovery({
      restart: () => (this.#restarting = this.#restart()),
      stopped: () => this.#stopped,
      firstDelayMs: 1_000,
      maxDelayMs: 30_000,
      onFailure: (error, retryInMs) => this.#options.logger.error({ err: error, retryInMs }, "consumer stopped for good; starting a new one"),
    });
    this.#consumer = this.#createConsumer();
  }

  #createConsumer(): Consumer {
    const { kafka, name, namespace, sessionTimeoutMs = 10_000 } = this.#options;
    const consumer = kafka.consumer({
      groupId: physicalTopic(name, namespace),
      // A killed replica's partitions stand still until its session expires: keep it short.
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeoutMs / 3)),
      // By default a fetch answers as soon as there is data; a longer wait only saves idle polling.
      minBytes: this.#options.fetch?.minBytes ?? 1,
      maxWaitTimeInMs: this.#options.fetch?.maxWaitMs ?? defaultConsumerMaxWaitMs,
      // Bounds a batch (and so its transaction) to a few hundred events, well inside the session.
      maxBytesPerPartition: this.#options.maxBytesPerPartition ?? 256 * 1024,
      allowAutoTopicCreation: false,
    });
    this.#recovery.watch(consumer);
    return consumer;
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [...this.#physicalToLogical.keys()], fromBeginning: true });
    await this.#consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      // Honoured after a batch and on idle fetches thanks to patches/kafkajs@2.2.4.patch.
      autoCommitInterval: this.#options.commitIntervalMs ?? 1_000,
      // Every partition of a fetch is handed over at once, so that they can be applied in one transaction (#together).
      partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 64,
      eachBatch: (payload) => this.#processBatch(payload),
    });
  }

  /** Stops fetching, lets the batch in flight finish and commit, and leaves the group. */
  async stop(): Promise<void> {
    this.#stopped = true;
    // A restart that began before the stop may be about to replace #consumer: let it settle
    // (it starts nothing new once it sees #stopped), then disconnect whichever consumer is current.
    await this.#restarting?.catch(() => {});
    await this.#consumer.disconnect();
  }

  /** Replaces a consumer that kafkajs gave up on with a new one, unless stop() came meanwhile. */
  async #restart(): Promise<void> {
    await this.#consumer.disconnect().catch(() => {});
    if (this.#stopped) return;
    this.#consumer = this.#createConsumer();
    await this.start();
  }

  /** For tests and the fault harness: pause consumption without leaving the group. */
  get kafkaConsumer(): Consumer {
    return this.#consumer;
  }

  async #processBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    if (batch.messages.length === 0) return;
    const started = performance.now();
    const control: BatchControl = { heartbeat, isRunning, isStale };
    const decoded: Decoded[] = [];
    for (const message of batch.messages) {
      const result = this.#decode(message);
      if (result instanceof Error) {
        await this.#deadLetter(batch.topic, batch.partition, message, result, 1);
      } else if (result) {
        decoded.push(result);
      } else {
        this.#options.metrics?.eventsConsumed.inc({ topic: batch.topic, outcome: "skipped" });
      }
    }
    const appliedTogether = decoded.length > 0 && (await this.#together.add({ physical: batch.topic, items: decoded, heartbeat }));
    for (let outage = 1; !appliedTogether; outage++) {
      try {
        await this.#apply([{ physical: batch.topic, items: decoded, heartbeat }]);
        break;
      } catch (error) {
        if (error instanceof HeartbeatFailure) throw error.cause; // a rebalance: kafkajs deals with it
        if (failureKindOf(error) === "infrastructure") {
          // Not the messages' fault: the same batch again once the server answers.
          if (await this.#waitOutInfrastructure(error, outage, batch.topic, control)) continue;
          return; // Stopping or no longer ours: the offset stays, the next owner redoes the batch.
        }
        this.#options.logger.warn({ err: error, topic: batch.topic, size: decoded.length }, "batch failed; retrying its messages one by one");
        for (const item of decoded) {
          if (!isRunning() || isStale()) return;
          if (!(await this.#applyWithRetries(batch.topic, batch.partition, item, control))) return;
          // Progress so far survives a rebalance or a stop in the middle of the fallback.
          resolveOffset(item.message.offset);
          await heartbeat();
        }
        break;
      }
    }
    const last = batch.messages.at(-1)!;
    resolveOffset(last.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    this.#options.metrics?.consumerBatchSeconds.observe({ topic: batch.topic }, (performance.now() - started) / 1000);
  }

  /**
   * The message's envelope, and its payload only when this consumer acts on its type
   * (undefined: passed over). Unreadable envelopes and versions are errors for every
   * consumer; a payload is judged only by those that read it.
   */
  #decode(message: KafkaMessage): Decoded | Error | undefined {
    if (!message.value) return new Error("message has no value");
    try {
      const envelope = decodeEnvelope(message.value);
      assertReadableVersion(envelope);
      const { eventTypes, actsOn } = this.#options;
      if (eventTypes && !eventTypes.includes(envelope.eventType)) return undefined;
      const event = this.#options.envelopeOnly ? undefined : eventOf(envelope);
      if (event && actsOn && !actsOn(event)) return undefined;
      return { message, envelope, event };
    } catch (error) {
      return error as Error;
    }
  }

  /** Applies the parts (one batch each) in one transaction, their event ids recorded in the inbox first. */
  async #apply(parts: readonly Part[]): Promise<void> {
    const all = parts.flatMap((part) => part.items);
    if (all.length === 0) return;
    const { heartbeat } = parts[0]!;
    const { name, pool, handle, handleBatch, handleUnknown, logger, metrics } = this.#options;
    let counts: { applied: number; skipped: number }[] = [];
    await withTransaction(pool, async (tx) => {
      counts = parts.map(() => ({ applied: 0, skipped: 0 }));
      const ids = all.map((i) => i.envelope.eventId);
      // The ids this consumer has not processed before; with a handler that deduplicates by
      // itself, all of them (a redelivery reaches the handler, which leaves it without effect).
      const fresh = this.#options.deduplication === "handler" ? new Set(ids) : await recordInInbox(tx, name, ids);
      // Seen before (redelivery) or twice in this transaction: the first effect stands.
      const freshOfParts = parts.map(({ items }) => items.filter((item) => fresh.delete(item.envelope.eventId)));
      if (handleBatch) {
        // One call per topic for all of the fetch's partitions (items-by-topic.ts), or one in all.
        const byTopic = itemsByTopic(parts.map(({ physical }, index) => ({ topic: this.#logical(physical), items: freshOfParts[index]! })));
        const calls = this.#options.batchAcrossTopics ? [[...byTopic.values()].flat()] : [...byTopic.values()];
        for (const items of calls) await handleBatch(items, { tx, logger });
        freshOfParts.forEach((freshItems, index) => (counts[index]!.applied = freshItems.length));
        return;
      }
      for (const [index, { physical }] of parts.entries()) {
        const topic = this.#logical(physical);
        const count = counts[index]!;
        for (const item of freshOfParts[index]!) {
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
          // A long batch keeps the session alive (throttled to the heartbeat interval by kafkajs).
          await heartbeat().catch((error: unknown) => {
            throw new HeartbeatFailure(error);
          });
          if (item.event) {
            await handle!(item.event, context);
            count.applied++;
          } else if (handleUnknown) {
            await handleUnknown(item.envelope, context);
            count.applied++;
          } else {
            count.skipped++;
          }
        }
      }
    });
    for (const [index, { physical, items }] of parts.entries()) {
      const { applied, skipped } = counts[index]!;
      metrics?.eventsConsumed.inc({ topic: physical, outcome: "applied" }, applied);
      metrics?.eventsConsumed.inc({ topic: physical, outcome: "skipped" }, skipped);
      metrics?.eventsConsumed.inc({ topic: physical, outcome: "duplicate" }, items.length - applied - skipped);
    }
  }

  /** The topic's name without the namespace, as handlers know it. */
  #logical(physical: string): string {
    return this.#physicalToLogical.get(physical) ?? physical;
  }

  /**
   * One message in its own transaction. A failure of the message counts towards
   * `maxAttempts`, after which it is dead-lettered; a failure of the infrastructure does
   * not count and is waited out. False when the consumer stopped or lost the partition
   * meanwhile (the message is neither applied nor dead-lettered: its next owner takes it).
   */
  async #applyWithRetries(topic: string, partition: number, item: Decoded, control: BatchControl): Promise<boolean> {
    const maxAttempts = this.#options.maxAttempts ?? 3;
    let attempts = 0;
    for (let outage = 1; ; ) {
      try {
        await this.#apply([{ physical: topic, items: [item], heartbeat: control.heartbeat }]);
        return true;
      } catch (error) {
        if (error instanceof HeartbeatFailure) throw error.cause;
        if (failureKindOf(error) === "infrastructure") {
          if (!(await this.#waitOutInfrastructure(error, outage++, topic, control))) return false;
          continue;
        }
        if (++attempts >= maxAttempts) {
          await this.#deadLetter(topic, partition, item.message, error, attempts);
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempts - 1)));
      }
    }
  }

  /**
   * Sleeps out the `outage`-th infrastructure failure in a row (capped exponential
   * backoff), heartbeating so the group keeps the partition with us. False when the
   * consumer is stopping or the partition was taken away meanwhile.
   */
  async #waitOutInfrastructure(error: unknown, outage: number, topic: string, { heartbeat, isRunning, isStale }: BatchControl): Promise<boolean> {
    const { initialMs, maxMs } = this.#options.infrastructureBackoff ?? defaultInfrastructureBackoff;
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(outage - 1, 30));
    this.#options.logger.warn({ err: error, topic, attempt: outage, retryInMs: delay }, "infrastructure failing; the batch waits and is tried again");
    this.#options.metrics?.eventsConsumed.inc({ topic, outcome: "retried-infrastructure" });
    const until = Date.now() + delay;
    for (;;) {
      if (!isRunning() || isStale()) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1_000)));
      await heartbeat();
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

/** Records the ids in the consumer's inbox and returns those that were not there yet. */
async function recordInInbox(tx: pg.PoolClient, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  const inserted = await tx.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(inserted.rows.map((r) => r.event_id));
}

/** The group refused a heartbeat in the middle of a batch (a rebalance): not the message's failure. */
class HeartbeatFailure extends Error {
  constructor(cause: unknown) {
    super("heartbeat failed during a batch", { cause });
  }
}

function headerValue(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : String(value);
}
