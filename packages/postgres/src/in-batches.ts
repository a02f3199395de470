import type pg from "pg";
import { withTransaction } from "./transaction.ts";

/**
 * Runs `batch` in a transaction of its own, again and again, until it handles fewer than `size`
 * rows; answers how many it handled in all. For the upgrades a service makes at start (rows
 * stored before a migration rewritten a batch at a time): each batch locks its rows `FOR UPDATE
 * SKIP LOCKED`, so instances starting together share the rows instead of waiting for each
 * other, and a crash loses at most the batch in flight, which the next start takes again.
 */
export async function inTransactionsUntilShort(pool: pg.Pool, size: number, batch: (tx: pg.PoolClient) => Promise<number>): Promise<number> {
  let handled = 0;
  for (;;) {
    const count = await withTransaction(pool, batch);
    handled += count;
    if (count < size) return handled;
  }
}
