import { describe, expect, it } from "vitest";
import { withTransaction } from "@oms/postgres";
import { cancelTimerKeys, scheduleTimers, timerMigrations } from "@oms/timers";
import { useMigratedDatabase } from "@oms/testing";

/** Timers scheduled and cancelled many at a time keep the one-at-a-time rules: a key once, only pending ones cancelled. */
const db = useMigratedDatabase("timers-test", timerMigrations);

const due = new Date("2030-01-01T00:00:00Z");

async function timersOf(orderId: string) {
  const { rows } = await db.pool.query<{ kind: string; timer_key: string; payload: unknown; cancelled: boolean; fired: boolean }>(
    "SELECT kind, timer_key, payload, cancelled_at IS NOT NULL AS cancelled, fired_at IS NOT NULL AS fired FROM timers WHERE order_id = $1 ORDER BY kind, timer_key",
    [orderId],
  );
  return rows;
}

describe("timers set-wise", () => {
  it("schedules each key once, the first of a repeated key counting, and says how many were new", async () => {
    const scheduled = await withTransaction(db.pool, (tx) =>
      scheduleTimers(tx, [
        { kind: "follow-up", key: "o-1", orderId: "o-1", dueAt: due, payload: { n: 1 } },
        { kind: "follow-up", key: "o-1", orderId: "o-1", dueAt: due, payload: { n: 2 } },
        { kind: "escalation", key: "o-1", orderId: "o-1", dueAt: due },
      ]),
    );
    expect(scheduled).toBe(2);
    const again = await withTransaction(db.pool, (tx) => scheduleTimers(tx, [{ kind: "follow-up", key: "o-1", orderId: "o-1", dueAt: due, payload: { n: 3 } }]));
    expect(again).toBe(0);
    expect(await timersOf("o-1")).toEqual([
      { kind: "escalation", timer_key: "o-1", payload: {}, cancelled: false, fired: false },
      { kind: "follow-up", timer_key: "o-1", payload: { n: 1 }, cancelled: false, fired: false },
    ]);
  });

  it("cancels only the pending timers named by kind and key", async () => {
    await withTransaction(db.pool, (tx) =>
      scheduleTimers(tx, [
        { kind: "a", key: "o-2", orderId: "o-2", dueAt: due },
        { kind: "b", key: "o-2", orderId: "o-2", dueAt: due },
        { kind: "c", key: "o-2", orderId: "o-2", dueAt: due },
      ]),
    );
    await db.pool.query("UPDATE timers SET fired_at = now() WHERE kind = 'b' AND timer_key = 'o-2'");
    const cancelled = await withTransaction(db.pool, (tx) =>
      cancelTimerKeys(tx, [
        { kind: "a", key: "o-2" },
        { kind: "b", key: "o-2" },
        { kind: "a", key: "missing" },
      ]),
    );
    expect(cancelled).toBe(1);
    expect((await timersOf("o-2")).map((t) => [t.kind, t.cancelled, t.fired])).toEqual([
      ["a", true, false],
      ["b", false, true],
      ["c", false, false],
    ]);
  });
});
