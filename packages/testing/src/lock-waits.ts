import type pg from "pg";
import { eventually } from "./eventually.ts";

/**
 * Waits until at least `count` sessions of the test's database wait for a lock: a test that
 * holds a lock and sends requests knows they queued behind it, instead of sleeping and
 * hoping (on a loaded machine a request may not have reached its lock yet).
 */
export async function sessionsBlockedOnLocks(pool: pg.Pool, count: number): Promise<void> {
  await eventually(async () => {
    const { rows } = await pool.query<{ blocked: number }>(
      "SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    return rows[0]!.blocked >= count ? true : undefined;
  }, 10_000).catch((error: unknown) => {
    throw new Error(`expected ${count} request(s) to wait for a lock held by the test, but they did not`, { cause: error });
  });
}
