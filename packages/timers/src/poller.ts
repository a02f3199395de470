import type pg from "pg";
import { failureKindOf } from "@oms/errors";
import type { Logger, StandardMetrics } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import type { DueTimer } from "./timers.ts";

export type TimerHandler = (timer: DueTimer, tx: pg.PoolClient) => Promise<void>;

/**
 * A handler whose timers each lock a row that other paths lock several at a time, in an order
 * of their own (billing's carrier recoveries, in case order). Fired in due order, one by one,
 * a batch would hold one such row while waiting for another that such a path holds while
 * waiting for the first: a deadlock Postgres breaks by failing one side. `lockBatch` takes the
 * rows of every timer of its kind in the batch, in the other paths' order, before any timer
 * of the batch fires; the handler then finds its row already held. If it fails, none of the
 * kind's timers fires in that pass, each charged as its handler's failure would be.
 */
export interface BatchLockingTimerHandler {
  fire: TimerHandler;
  lockBatch(timers: readonly DueTimer[], tx: pg.PoolClient): Promise<void>;
}

export type TimerHandlers = Record<string, TimerHandler | BatchLockingTimerHandler>;

export interface TimerPollerOptions {
  pool: pg.Pool;
  logger: Logger;
  handlers: TimerHandlers;
  metrics?: StandardMetrics;
  /**
   * How often due timers are looked for (default 1 s): how late a timer may fire. Timers
   * are deadlines of minutes and hours; every look is a transaction, also when nothing is due.
   */
  intervalMs?: number;
  batchSize?: number;
  /**
   * Attempts before a timer whose handler keeps failing is set aside as failed. Only the
   * handler's own failures count; the infrastructure's (failure-kind.ts) never do.
   */
  maxAttempts?: number;
}

/** The longest a timer waits for its next try while the infrastructure keeps failing it. */
const maxOutageDelaySeconds = 60;
/** The longest the poller waits after passes that failed as a whole (the database down). */
const maxFailedPassDelayMs = 30_000;

interface TimerRow {
  id: number;
  kind: string;
  timer_key: string;
  order_id: string;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  outages: number;
}

function dueTimerOf(row: TimerRow): DueTimer {
  return { id: row.id, kind: row.kind, key: row.timer_key, orderId: row.order_id, dueAt: row.due_at, payload: row.payload, attempts: row.attempts };
}

/**
 * Fires due timers. Each timer's effect and its `fired_at` are written in one
 * transaction, and due rows are claimed with `FOR UPDATE SKIP LOCKED`, so a timer fires
 * exactly once however many replicas poll and however often they restart. A handler's
 * own failure uses up one of the timer's attempts; an infrastructure failure only puts the
 * timer off (failure-kind.ts), and passes that fail as a whole back off too.
 */
export class TimerPoller {
  readonly #options: TimerPollerOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: TimerPollerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Fires what is due now; returns how many fired. */
  async fireDue(): Promise<number> {
    const { pool, batchSize = 100 } = this.#options;
    return withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<TimerRow>(
        `SELECT id, kind, timer_key, order_id, due_at, payload, attempts, outages FROM timers
         WHERE fired_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL AND due_at <= now()
         ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      const timers = rows.map(dueTimerOf);
      const unlocked = await this.#lockBatches(tx, rows, timers);
      let fired = 0;
      for (const [i, row] of rows.entries()) {
        if (unlocked.has(row.kind)) continue;
        if (await this.#fire(tx, row, timers[i]!)) fired++;
      }
      return fired;
    });
  }

  /**
   * Each batch-locking kind takes its rows for the whole batch before anything fires, kinds in
   * name order, each under a savepoint of its own. A kind whose locks fail fires none of its
   * timers in this pass, each charged as its handler's failure would be (put off for a deadlock
   * or a lost connection, an attempt used for its own bug), and the batch's other timers fire:
   * one kind's trouble never holds up a service's other timers, nor keeps a timer from being set
   * aside. Answers the kinds that failed.
   */
  async #lockBatches(tx: pg.PoolClient, rows: readonly TimerRow[], timers: readonly DueTimer[]): Promise<Set<string>> {
    const { handlers, maxAttempts = 5 } = this.#options;
    const failed = new Set<string>();
    for (const kind of [...new Set(rows.map((r) => r.kind))].sort()) {
      const handler = handlers[kind];
      if (!handler || typeof handler === "function") continue;
      await tx.query("SAVEPOINT timer_batch_locks");
      try {
        await handler.lockBatch(timers.filter((t) => t.kind === kind), tx);
        await tx.query("RELEASE SAVEPOINT timer_batch_locks");
      } catch (error) {
        await tx.query("ROLLBACK TO SAVEPOINT timer_batch_locks");
        failed.add(kind);
        for (const row of rows.filter((r) => r.kind === kind)) await this.#recordFailure(tx, row, error, maxAttempts);
      }
    }
    return failed;
  }

  async #fire(tx: pg.PoolClient, row: TimerRow, timer: DueTimer): Promise<boolean> {
    const { handlers, metrics, maxAttempts = 5 } = this.#options;
    const registered = handlers[row.kind];
    const handler = typeof registered === "function" ? registered : registered?.fire;
    await tx.query("SAVEPOINT timer");
    try {
      if (!handler) throw new Error(`no handler for timer kind ${row.kind}`);
      // Marked fired before its handler runs (a failure rolls the mark back with the effect):
      // a handler that ends the order cancels the order's pending timers, and this one is not.
      await tx.query("UPDATE timers SET fired_at = now(), attempts = attempts + 1 WHERE id = $1", [row.id]);
      await handler(timer, tx);
      await tx.query("RELEASE SAVEPOINT timer");
      metrics?.timersFired.inc({ kind: row.kind });
      return true;
    } catch (error) {
      // Undo the handler's partial effect; keep the timer, later, or set it aside.
      await tx.query("ROLLBACK TO SAVEPOINT timer");
      await this.#recordFailure(tx, row, error, maxAttempts);
      return false;
    }
  }

  /** The timer was not fired for this failure: put off when the infrastructure failed, an attempt used otherwise. */
  async #recordFailure(tx: pg.PoolClient, row: TimerRow, error: unknown, maxAttempts: number): Promise<void> {
    if (failureKindOf(error) === "infrastructure") await this.#postponeForOutage(tx, row, error);
    else await this.#countFailedAttempt(tx, row, error, maxAttempts);
  }

  /**
   * A deadlock, a lock timeout or a lost connection is no fault of the timer: it is tried
   * again later, each time a little later, and never set aside for it, or a database
   * restart would use up the attempts of every timer due meanwhile.
   */
  async #postponeForOutage(tx: pg.PoolClient, row: TimerRow, error: unknown): Promise<void> {
    const outages = row.outages + 1;
    const delaySeconds = Math.min(maxOutageDelaySeconds, 2 ** (outages - 1));
    this.#options.logger.warn({ err: error, orderId: row.order_id, timerKind: row.kind, outages, retryInSeconds: delaySeconds }, "timer handler met an infrastructure failure; tried again later");
    await tx.query("UPDATE timers SET outages = $2, last_error = $3, due_at = now() + make_interval(secs => $4) WHERE id = $1", [
      row.id,
      outages,
      (error as Error).message,
      delaySeconds,
    ]);
  }

  /** The handler's own failure: one attempt used; after `maxAttempts` the timer is set aside as failed. */
  async #countFailedAttempt(tx: pg.PoolClient, row: TimerRow, error: unknown, maxAttempts: number): Promise<void> {
    const attempts = row.attempts + 1;
    const failed = attempts >= maxAttempts;
    this.#options.logger.error({ err: error, orderId: row.order_id, timerKind: row.kind, attempts, failed }, "timer handler failed");
    await tx.query(
      `UPDATE timers SET attempts = $2, outages = 0, last_error = $3,
         due_at = now() + make_interval(secs => $4), failed_at = CASE WHEN $5 THEN now() END
       WHERE id = $1`,
      [row.id, attempts, (error as Error).message, 2 ** attempts, failed],
    );
  }

  async #run(): Promise<void> {
    const { intervalMs = 1_000, batchSize = 100, logger } = this.#options;
    // Passes that failed in a row: while the database is down, each waits twice as long as the last.
    let failedPasses = 0;
    while (this.#running) {
      let fired = 0;
      try {
        fired = await this.fireDue();
        failedPasses = 0;
      } catch (error) {
        failedPasses++;
        logger.warn({ err: error, failedPasses }, "timer pass failed; retrying");
      }
      if (fired >= batchSize) continue;
      // A stop() that came during the pass must not sit out a long backoff.
      if (!this.#running) break;
      const waitMs = failedPasses === 0 ? intervalMs : Math.min(Math.max(intervalMs, maxFailedPassDelayMs), intervalMs * 2 ** Math.min(failedPasses - 1, 30));
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, waitMs);
        this.#wake = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
    }
  }
}
