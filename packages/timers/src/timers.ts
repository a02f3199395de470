import type pg from "pg";

export interface TimerSpec {
  /** What the timer is for, e.g. "confirmation-follow-up"; picks the handler. */
  kind: string;
  /** Unique per kind: scheduling the same key again is a no-op, so scheduling is idempotent. */
  key: string;
  orderId: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
}

export interface DueTimer {
  id: number;
  kind: string;
  key: string;
  orderId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Schedules a durable timer in the caller's transaction; returns false when the key already exists. */
export async function scheduleTimer(tx: pg.ClientBase, timer: TimerSpec): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO timers (kind, timer_key, order_id, due_at, payload) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (kind, timer_key) DO NOTHING`,
    [timer.kind, timer.key, timer.orderId, timer.dueAt, JSON.stringify(timer.payload ?? {})],
  );
  return result.rowCount === 1;
}

/** Schedules several timers in one statement; a key that already exists (or comes twice) is skipped. Returns how many were new. */
export async function scheduleTimers(tx: pg.ClientBase, timers: readonly TimerSpec[]): Promise<number> {
  if (timers.length === 0) return 0;
  const result = await tx.query(
    `INSERT INTO timers (kind, timer_key, order_id, due_at, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[])
     ON CONFLICT (kind, timer_key) DO NOTHING`,
    [timers.map((t) => t.kind), timers.map((t) => t.key), timers.map((t) => t.orderId), timers.map((t) => t.dueAt), timers.map((t) => JSON.stringify(t.payload ?? {}))],
  );
  return result.rowCount ?? 0;
}

/** Cancels pending timers given by kind and key, in one statement; fired or missing ones are left as they are. */
export async function cancelTimerKeys(tx: pg.ClientBase, timers: readonly { kind: string; key: string }[]): Promise<number> {
  if (timers.length === 0) return 0;
  const result = await tx.query(
    `UPDATE timers t SET cancelled_at = now()
     FROM unnest($1::text[], $2::text[]) AS c(kind, timer_key)
     WHERE t.kind = c.kind AND t.timer_key = c.timer_key AND t.fired_at IS NULL AND t.cancelled_at IS NULL`,
    [timers.map((t) => t.kind), timers.map((t) => t.key)],
  );
  return result.rowCount ?? 0;
}

/** Cancels a pending timer in the caller's transaction; a fired or missing one is left as it is. */
export async function cancelTimer(tx: pg.ClientBase, kind: string, key: string): Promise<boolean> {
  const result = await tx.query(
    `UPDATE timers SET cancelled_at = now()
     WHERE kind = $1 AND timer_key = $2 AND fired_at IS NULL AND cancelled_at IS NULL`,
    [kind, key],
  );
  return result.rowCount === 1;
}

/**
 * Cancels a pending timer unless a poller holds it at this moment (it is firing, or claimed
 * in a batch about to): then it is left to fire, and its handler must find, under the lock of
 * what it acts on, that nothing is left to do. For a caller that already holds the row lock
 * the handler takes first: waiting for the timer's row there would deadlock with the poller
 * (timer row, then that lock) and would hold the caller for as long as the poller's batch runs.
 */
export async function cancelTimerUnlessFiring(tx: pg.ClientBase, kind: string, key: string): Promise<boolean> {
  const result = await tx.query(
    `UPDATE timers SET cancelled_at = now()
     WHERE id = (SELECT id FROM timers WHERE kind = $1 AND timer_key = $2 AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED)`,
    [kind, key],
  );
  return result.rowCount === 1;
}

/** `cancelTimerUnlessFiring` for several timers of one kind, in one statement: those a poller holds are left to fire. */
export async function cancelTimersUnlessFiring(tx: pg.ClientBase, kind: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await tx.query(
    `UPDATE timers SET cancelled_at = now()
     WHERE id IN (SELECT id FROM timers WHERE kind = $1 AND timer_key = ANY($2::text[]) AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED)`,
    [kind, [...keys]],
  );
  return result.rowCount ?? 0;
}

/** Cancels pending timers of one kind by key, in one statement; fired or missing ones are left as they are. */
export async function cancelTimers(tx: pg.ClientBase, kind: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await tx.query(
    `UPDATE timers SET cancelled_at = now()
     WHERE kind = $1 AND timer_key = ANY($2::text[]) AND fired_at IS NULL AND cancelled_at IS NULL`,
    [kind, [...keys]],
  );
  return result.rowCount ?? 0;
}

/** Cancels every pending timer of an order (it was cancelled or closed). */
export async function cancelTimersOfOrder(tx: pg.ClientBase, orderId: string): Promise<number> {
  const result = await tx.query(
    "UPDATE timers SET cancelled_at = now() WHERE order_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL",
    [orderId],
  );
  return result.rowCount ?? 0;
}
