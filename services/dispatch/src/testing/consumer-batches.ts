import type pg from "pg";
import { decodeEnvelope, encodeEvent, type OrderEvent } from "@oms/contracts";
import type { BatchItem } from "@oms/messaging";
import { eventually } from "@oms/testing";

/**
 * Helpers for specs that race a consumer's batch against another transaction (the lock-order
 * specs): the batch applied as the consumer applies a Kafka batch, in a transaction of its own.
 */

export type BatchOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Starts the batch in a transaction on a connection of its own: its backend pid at once (to watch
 * it wait for a lock), and the outcome once it committed or rolled back.
 */
export async function batchOn(pool: pg.Pool, apply: (tx: pg.PoolClient) => Promise<void>): Promise<{ pid: number; outcome: Promise<BatchOutcome> }> {
  const client = await pool.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const outcome = (async (): Promise<BatchOutcome> => {
    try {
      await client.query("BEGIN");
      await apply(client);
      await client.query("COMMIT");
      return { ok: true };
    } catch (error) {
      await client.query("ROLLBACK");
      return { ok: false, error };
    } finally {
      client.release();
    }
  })();
  return { pid: rows[0]!.pid, outcome };
}

/** The events as a consumer's batch items from the topic, encoded and decoded as Kafka hands them over. */
export const batchItemsOf = (events: readonly OrderEvent[], topic: string): BatchItem[] =>
  events.map((event) => {
    const value = Buffer.from(encodeEvent(event));
    return { event, envelope: decodeEnvelope(value), value, topic };
  });

/** Until the session waits for a lock. */
export async function waitingForLock(pool: pg.Pool, pid: number): Promise<void> {
  await eventually(async () => {
    const { rows } = await pool.query<{ wait: string | null }>("SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1", [pid]);
    return rows[0]?.wait === "Lock" ? true : undefined;
  }, 10_000);
}

/**
 * Holds the task's row in a transaction of its own while `start` sets off what must queue behind
 * it (and waits until each does), then lets go past the waiters' deadlock checks (deadlock_timeout
 * and half a second), so that a lock cycle closed as they go on is found by one of their sessions —
 * a 40P01 failing the spec — the same way every run. Answers what `start` set off (its `settled`), once settled: in an
 * object, since an async `start` answering the promise itself would wait for it, the holder still holding.
 */
export async function racedBehindHeldTask<T>(pool: pg.Pool, taskId: string, start: () => Promise<{ settled: Promise<T> }>): Promise<T> {
  const { rows: timeout } = await pool.query<{ ms: number }>("SELECT setting::int AS ms FROM pg_settings WHERE name = 'deadlock_timeout'");
  const holder = await pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM tasks WHERE task_id = $1 FOR UPDATE", [taskId]);
    const { settled } = await start();
    await new Promise((resolve) => setTimeout(resolve, timeout[0]!.ms + 500));
    await holder.query("COMMIT");
    return await settled;
  } finally {
    await holder.query("ROLLBACK");
    holder.release();
  }
}
