import type pg from "pg";
import type { Producer } from "kafkajs";
import { physicalTopic } from "@oms/contracts";
import type { Logger, StandardMetrics } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { outboxBell, type OutboxBell } from "./outbox-bell.ts";
import { wakeableSleep, type WakeableSleep } from "./wakeable-sleep.ts";

export interface OutboxRelayOptions {
  pool: pg.Pool;
  schema: string;
  producer: Producer;
  logger: Logger;
  namespace?: string;
  metrics?: StandardMetrics;
  batchSize?: number;
  /**
   * Longest wait between passes (default 1 s). Commits in this process ring the bell and
   * are published at once, and each replica's relay publishes its own; the poll is for
   * what no bell announced, such as the rows of a replica that died before its relay ran.
   * Every pass is a transaction: at 250 ms, an idle system's relays alone committed 28
   * times a second.
   */
  pollIntervalMs?: number;
  /** After a pass that published, how long to let further commits gather before the next. */
  gatherMs?: number;
  /** What wakes the relay when a transaction of this process committed outbox rows. */
  bell?: OutboxBell;
  /**
   * Fault-injection seam for tests: runs after the batch reached Kafka and before its rows
   * are deleted. Throwing here is exactly a relay dying between publish and delete.
   */
  afterPublish?: (eventIds: string[]) => Promise<void>;
}

interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  payload: Buffer;
}

/**
 * Publishes the outbox to Kafka in order, in batches, and deletes what it sent in one
 * statement: the outbox holds only what is not yet out (published events are read from
 * their topic or the archive's dossier). Only one relay per schema publishes at a time (a
 * transaction-scoped advisory lock), which keeps each order's events in commit order on
 * its partition even with several replicas. A crash between publish and delete
 * republishes the batch; consumers are idempotent by event id, so that costs nothing but
 * bandwidth.
 */
export class OutboxRelay {
  readonly #options: Required<Pick<OutboxRelayOptions, "batchSize" | "pollIntervalMs" | "gatherMs" | "namespace" | "bell">> &
    OutboxRelayOptions;
  readonly #sleep: WakeableSleep = wakeableSleep();
  #running = false;
  #loop: Promise<void> | undefined;
  #stopListening: (() => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#options = { batchSize: 1000, pollIntervalMs: 1_000, gatherMs: 2, namespace: "", bell: outboxBell, ...options };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#stopListening = this.#options.bell.listen(() => this.#sleep.wake());
    this.#loop = this.#run();
  }

  /** Stops after the pass in flight and one final pass, so nothing committed stays behind. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#stopListening?.();
    this.#sleep.wake();
    await this.#loop;
    await this.flush(2_000).catch((error) => this.#options.logger.warn({ err: error }, "final outbox flush failed"));
  }

  /**
   * Publishes until the outbox is empty; returns how many events this call sent. A pass
   * in progress elsewhere (this relay's own loop, or a replica's) is waited for, up to
   * `waitMs`: what it is publishing is not out until it commits.
   */
  async flush(waitMs = 10_000): Promise<number> {
    const deadline = Date.now() + waitMs;
    let total = 0;
    for (;;) {
      const { published, lockedOut } = await this.#pass();
      total += published;
      if (lockedOut && Date.now() < deadline) await delay(5);
      else if (lockedOut || published < this.#options.batchSize) return total;
    }
  }

  /** One batch: read, publish, delete. Returns how many were published (0 when another pass holds the lock). */
  async publishOnce(): Promise<number> {
    return (await this.#pass()).published;
  }

  async #pass(): Promise<{ published: number; lockedOut: boolean }> {
    const { pool, schema, producer, batchSize, namespace } = this.#options;
    return withTransaction(pool, async (tx) => {
      // The lock and the read in one round trip (a pass is BEGIN, this, the send, the
      // delete, COMMIT). The read's snapshot is taken just before the lock, so a pass
      // elsewhere that committed in that instant has rows this snapshot still sees: FOR
      // UPDATE makes Postgres read each row's latest version again and drop those deleted
      // (a replica sent them twice without it, which a test of two intake replicas caught).
      const { rows: read } = await tx.query<{ ok: boolean } & Partial<OutboxRow>>(
        `SELECT l.ok, o.id, o.event_id, o.topic, o.message_key, o.event_type, o.payload
         FROM (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok) l
         LEFT JOIN LATERAL (
           SELECT id, event_id, topic, message_key, event_type, payload FROM outbox
           WHERE l.ok ORDER BY id LIMIT $2 FOR UPDATE
         ) o ON true
         ORDER BY o.id`,
        [`outbox:${schema}`, batchSize],
      );
      if (!read[0]?.ok) return { published: 0, lockedOut: true };
      const rows = read.filter((row): row is { ok: boolean } & OutboxRow => row.id != null);
      if (rows.length === 0) return { published: 0, lockedOut: false };
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows, namespace) });
      await this.#options.afterPublish?.(rows.map((r) => r.event_id));
      // A delete, not a mark: marking wrote each payload to the WAL a second time.
      await tx.query("DELETE FROM outbox WHERE id = ANY($1::bigint[])", [rows.map((r) => r.id)]);
      this.#options.metrics?.outboxPublished.inc(rows.length);
      return { published: rows.length, lockedOut: false };
    });
  }

  /**
   * Passes straight on while batches are full; otherwise sleeps until the bell rings (a
   * commit of this process wrote outbox rows) or the poll interval ends. After a pass
   * that published, commits may gather for a moment so that they go out together; after
   * finding another replica's pass in progress, it tries again soon, as the rows that
   * woke it may not be in that pass.
   */
  async #run(): Promise<void> {
    const { batchSize, pollIntervalMs, gatherMs } = this.#options;
    let failures = 0;
    while (this.#running) {
      try {
        const { published, lockedOut } = await this.#pass();
        failures = 0;
        if (published === batchSize) continue;
        if (published > 0) await delay(gatherMs);
        await this.#sleep.sleep(lockedOut ? Math.min(pollIntervalMs, 20) : pollIntervalMs);
      } catch (error) {
        failures++;
        const delayMs = Math.min(5_000, 100 * 2 ** failures);
        this.#options.logger.warn({ err: error, retryInMs: delayMs }, "outbox relay pass failed; retrying");
        await this.#sleep.sleep(delayMs);
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function groupByTopic(rows: OutboxRow[], namespace: string) {
  const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
  for (const row of rows) {
    const topic = physicalTopic(row.topic, namespace);
    const messages = byTopic.get(topic) ?? [];
    messages.push({
      key: row.message_key,
      value: row.payload,
      headers: { "event-id": row.event_id, "event-type": row.event_type },
    });
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
