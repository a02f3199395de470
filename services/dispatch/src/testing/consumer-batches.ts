import type pg from "pg";
import { decodeEnvelope, encodeEvent, type OrderEvent } from "@oms/contracts";
import type { BatchItem } from "@oms/messaging";

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
