import type pg from "pg";
import { deadLetterRetentionMs } from "@oms/contracts";
import type { Logger } from "@oms/observability";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The longest an event can come back to a consumer after it was applied: a dead letter
 * replayed onto its topic (every group on the topic hears it again) at the end of the
 * DLQ's retention, plus a log segment's lifetime, as Kafka deletes a segment whole once
 * its newest record is past retention (segment.ms, 7 days by default).
 */
export const longestRedeliveryMs = deadLetterRetentionMs + 7 * DAY_MS;

/** The fewest whole days an inbox may be kept: more than `longestRedeliveryMs`. */
export const minimumInboxRetentionDays = Math.floor(longestRedeliveryMs / DAY_MS) + 1;

export const defaultInboxRetentionDays = 45;

export interface InboxPrunerOptions {
  pool: pg.Pool;
  logger: Logger;
  /** Inbox rows older than this many days are deleted; at least `minimumInboxRetentionDays`. */
  retentionDays: number;
  /** Between passes (default an hour). */
  everyMs?: number;
  /** Rows per delete statement, so no pass holds a long transaction (default 10,000). */
  batchSize?: number;
}

/**
 * Keeps the inbox (`processed_events`) from growing for ever. An inbox row exists so that
 * an event delivered again is not applied again; once no event can come back (longer ago
 * than `longestRedeliveryMs`) the row protects nothing. Deleting older rows, a bounded
 * batch at a time, keeps the table at the size of the redelivery window: some 150 rows an
 * order, at the chain's order rate over the retention.
 */
export class InboxPruner {
  readonly #options: Required<InboxPrunerOptions>;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<unknown> = Promise.resolve();
  #running = false;

  constructor(options: InboxPrunerOptions) {
    if (options.retentionDays < minimumInboxRetentionDays) {
      throw new RangeError(
        `the inbox must be kept longer than an event can be redelivered (${longestRedeliveryMs / DAY_MS} days: the dead-letter topics' retention and a log segment's lifetime), got ${options.retentionDays} days`,
      );
    }
    this.#options = { everyMs: 60 * 60 * 1000, batchSize: 10_000, ...options };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const schedule = () => {
      this.#timer = setTimeout(() => {
        this.#pass = this.pruneOnce()
          .catch((error: unknown) => this.#options.logger.warn({ err: error }, "pruning the inbox failed; trying again at the next pass"))
          .finally(() => this.#running && schedule());
      }, this.#options.everyMs);
      this.#timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#pass;
  }

  /** Deletes every inbox row past the retention, in bounded statements; returns how many. */
  async pruneOnce(): Promise<number> {
    const { pool, retentionDays, batchSize, logger } = this.#options;
    let deleted = 0;
    for (;;) {
      const { rowCount } = await pool.query(
        `DELETE FROM processed_events WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM processed_events WHERE processed_at < now() - make_interval(days => $1) LIMIT $2))`,
        [retentionDays, batchSize],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) break;
    }
    if (deleted > 0) logger.info({ deleted, retentionDays }, "inbox rows past the redelivery window deleted");
    return deleted;
  }
}
