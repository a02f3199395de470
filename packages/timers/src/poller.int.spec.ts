import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Logger } from "@oms/observability";
import { createPool, runMigrations, withDatabase, withTransaction } from "@oms/postgres";
import { TimerPoller, type TimerHandler } from "./poller.ts";
import { timerMigrations } from "./schema.ts";
import { cancelTimersOfOrder, scheduleTimer } from "./timers.ts";

/**
 * The poller on the real database: which handler failures use up a timer's attempts.
 * (@oms/testing depends on this package through service-kit, so the file makes its own
 * database, named as test namespaces are, which lets a run clear a dead run's leftovers.)
 */
const serverUrl = () => inject("infrastructure").serverUrl;
const database = `oms_test_m${Math.floor(Date.now() / 1000).toString(36)}x${randomBytes(3).toString("hex")}`;
let pool: pg.Pool;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await adminQuery(`CREATE DATABASE ${database}`);
  pool = createPool({ url: withDatabase(serverUrl(), database), schema: "public", applicationName: "timer-poller-test" });
  await runMigrations(pool, "public", timerMigrations);
});
afterAll(async () => {
  await pool?.end();
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

const quietLogger = { error() {}, warn() {}, info() {} } as unknown as Logger;

/** A SQLSTATE error as node-postgres raises it. */
function sqlStateError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: "ERROR" });
}

interface TimerState {
  attempts: number;
  outages: number;
  failed: boolean;
  fired: boolean;
  /** Seconds from now to its next try. */
  nextTryIn: number;
}

async function scheduleDueTimer(kind: string): Promise<string> {
  const key = randomBytes(4).toString("hex");
  await withTransaction(pool, (tx) => scheduleTimer(tx, { kind, key, orderId: `o-${key}`, dueAt: new Date(Date.now() - 1_000) }));
  return key;
}

/** Makes the timer due again (as if its wait had passed), fires what is due, and reads the timer back. */
async function tryAgain(poller: TimerPoller, key: string): Promise<TimerState> {
  await pool.query("UPDATE timers SET due_at = now() - interval '1 second' WHERE timer_key = $1", [key]);
  await poller.fireDue();
  const { rows } = await pool.query<TimerState>(
    `SELECT attempts, outages, failed_at IS NOT NULL AS failed, fired_at IS NOT NULL AS fired,
       extract(epoch FROM due_at - now())::float8 AS "nextTryIn"
     FROM timers WHERE timer_key = $1`,
    [key],
  );
  return rows[0]!;
}

describe("a timer whose handler fails", () => {
  it.each([
    ["a deadlock", sqlStateError("40P01", "deadlock detected")],
    ["a lock timeout", sqlStateError("55P03", "canceling statement due to lock timeout")],
    ["an unreachable peer", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:7055"), { code: "ECONNREFUSED" })],
  ])("is put off, later each time, but never set aside, for %s", async (_case, failure) => {
    const kind = `outage-${randomBytes(3).toString("hex")}`;
    const handler: TimerHandler = async (_timer, tx) => {
      await tx.query("SELECT 1"); // some work, undone with the handler
      throw failure;
    };
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: { [kind]: handler }, maxAttempts: 3 });
    const key = await scheduleDueTimer(kind);

    const states: TimerState[] = [];
    for (let pass = 0; pass < 8; pass++) states.push(await tryAgain(poller, key));

    expect(states.map((s) => [s.attempts, s.failed, s.fired])).toEqual(states.map(() => [0, false, false]));
    expect(states.map((s) => s.outages)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Seconds from the read back to the next try: the put-off, less however long this machine
    // took between firing and reading (under two seconds even when loaded).
    const putOff = [1, 2, 4, 8, 16, 32, 60, 60];
    states.forEach((s, i) => expect(s.nextTryIn, `pass ${i + 1}`).toSatisfy((t: number) => t <= putOff[i]! + 0.05 && t > putOff[i]! - 2));
  });

  it("uses up an attempt for its own failure and is set aside after the last", async () => {
    const kind = `bug-${randomBytes(3).toString("hex")}`;
    const handler: TimerHandler = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'lines')");
    };
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: { [kind]: handler }, maxAttempts: 3 });
    const key = await scheduleDueTimer(kind);

    const states: TimerState[] = [];
    for (let pass = 0; pass < 3; pass++) states.push(await tryAgain(poller, key));

    expect(states.map((s) => [s.attempts, s.failed])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it("fires once the outage is over, its attempts untouched", async () => {
    const kind = `recovers-${randomBytes(3).toString("hex")}`;
    let failing = true;
    const handler: TimerHandler = async () => {
      if (failing) throw new Error("Connection terminated unexpectedly");
    };
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: { [kind]: handler }, maxAttempts: 1 });
    const key = await scheduleDueTimer(kind);

    await tryAgain(poller, key);
    failing = false;
    const state = await tryAgain(poller, key);

    expect(state).toMatchObject({ fired: true, failed: false, attempts: 1 });
  });
});

describe("a timer whose handler ends its order", () => {
  it("is fired, not also cancelled, when the handler cancels the order's pending timers", async () => {
    const kind = `ends-order-${randomBytes(3).toString("hex")}`;
    // A cancellation by rule: the order ends, and every timer still pending for it goes.
    const handler: TimerHandler = async (timer, tx) => {
      await cancelTimersOfOrder(tx, timer.orderId);
    };
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: { [kind]: handler } });
    const key = await scheduleDueTimer(kind);
    const orderId = `o-${key}`;
    await withTransaction(pool, (tx) => scheduleTimer(tx, { kind: "later", key, orderId, dueAt: new Date(Date.now() + 3600_000) }));

    await poller.fireDue();

    const { rows } = await pool.query<{ kind: string; fired: boolean; cancelled: boolean }>(
      "SELECT kind, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE order_id = $1 ORDER BY kind = 'later'",
      [orderId],
    );
    expect(rows).toEqual([
      { kind, fired: true, cancelled: false },
      { kind: "later", fired: false, cancelled: true },
    ]);
  });
});

describe("a kind whose handler locks its batch first", () => {
  it("is given its own timers of the batch, once, before any timer of the batch fires", async () => {
    const [locking, plain] = ["locking", "plain"].map((k) => `${k}-${randomBytes(3).toString("hex")}`) as [string, string];
    const keys = { locking: [await scheduleDueTimer(locking), await scheduleDueTimer(locking)], plain: await scheduleDueTimer(plain) };
    const seen: string[] = [];
    const plainHandler: TimerHandler = async (timer) => {
      seen.push(`fire ${timer.key}`);
    };
    const poller = new TimerPoller({
      pool,
      logger: quietLogger,
      handlers: {
        [plain]: plainHandler,
        [locking]: {
          lockBatch: async (timers) => {
            seen.push(`lock ${timers.map((t) => t.key).sort().join(",")}`);
          },
          fire: plainHandler,
        },
      },
    });
    await poller.fireDue();
    const ours = seen.filter((line) => [...keys.locking, keys.plain].some((key) => line.includes(key)));
    expect(ours[0]).toBe(`lock ${[...keys.locking].sort().join(",")}`);
    expect(ours.slice(1).sort()).toEqual([...keys.locking, keys.plain].map((key) => `fire ${key}`).sort());
  });
});

describe("a kind whose batch locks fail", () => {
  it.each([
    ["its own failure", new TypeError("Cannot read properties of undefined (reading 'caseId')"), { attempts: 1, outages: 0 }],
    ["a deadlock", sqlStateError("40P01", "deadlock detected"), { attempts: 0, outages: 1 }],
  ])("fires none of its timers, each charged as its handler's failure would be (%s), and the batch's other kinds fire", async (_case, failure, charged) => {
    const [locking, plain] = ["failing-locks", "beside"].map((k) => `${k}-${randomBytes(3).toString("hex")}`) as [string, string];
    const lockingKey = await scheduleDueTimer(locking);
    const plainKey = await scheduleDueTimer(plain);
    const firedKeys: string[] = [];
    const fire: TimerHandler = async (timer) => {
      firedKeys.push(timer.key);
    };
    const poller = new TimerPoller({
      pool,
      logger: quietLogger,
      handlers: {
        [plain]: fire,
        [locking]: {
          lockBatch: async (_timers, tx) => {
            await tx.query("SELECT 1"); // some locks, let go with the failure
            throw failure;
          },
          fire,
        },
      },
    });
    await poller.fireDue();
    expect(firedKeys.filter((key) => key === lockingKey || key === plainKey)).toEqual([plainKey]);
    const { rows } = await pool.query("SELECT timer_key, fired_at IS NOT NULL AS fired, attempts, outages, last_error FROM timers WHERE timer_key = ANY($1) ORDER BY kind", [[lockingKey, plainKey]]);
    expect(rows).toEqual([
      { timer_key: plainKey, fired: true, attempts: 1, outages: 0, last_error: null },
      { timer_key: lockingKey, fired: false, ...charged, last_error: failure.message },
    ]);
  });
});
