import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { OutboxWriter, messagingMigrations } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, runMigrations } from "@oms/postgres";
import { createTestNamespace, sessionsBlockedOnLocks, type TestNamespace } from "@oms/testing";
import { TimerPoller, timerMigrations } from "@oms/timers";
import { recordCarrierRemittance } from "./app/carrier-recoveries/record-carrier-remittance.ts";
import { carrierRecoveryOverdueTimer } from "./app/carrier-recoveries/recovery-overdue.ts";
import { reverseCarrierRemittance } from "./app/carrier-recoveries/reverse-carrier-remittance.ts";
import { carrierRecoveryOverdueDue } from "./ports/timers/carrier-recovery-overdue.ts";
import { billingService } from "./service.ts";
import { clerk } from "./test-fixtures.ts";

/**
 * The overdue timer's batch against a remittance's booking and its whole reversal, which lock
 * several recoveries in case order (ADR 017, twenty-sixth session, locks). The batch's timers
 * are due in the opposite order; the test holds the recovery in the middle so that each side
 * is in the lock it must be in when the other arrives, the same way every run.
 */
let namespace: TestNamespace;
let pool: pg.Pool;
const outbox = new OutboxWriter({ topic: "oms.billing.settlement.v1", schema: "public" });
const logger = createLogger({ service: "billing-test", level: "silent", pretty: false });

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "overdue-locks-test", max: 6 });
  await runMigrations(pool, "public", [...messagingMigrations, ...timerMigrations, ...billingService.migrations]);
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

/** Recoveries of nothing received, past due, each with its overdue timer due at its due-by time. */
async function pastDue(recoveries: { caseId: string; daysPast: number }[]): Promise<void> {
  for (const { caseId, daysPast } of recoveries) {
    await pool.query(
      `INSERT INTO carrier_recoveries (case_id, order_id, store_id, carrier, carrier_reference, due_minor, currency, settled_at, due_by)
       VALUES ($1::text, 'o-' || $1::text, 's-1', 'ZTO', 'Z-1', 1000, 'CNY', now() - make_interval(days => 30 + $2::int), now() - make_interval(days => $2::int))`,
      [caseId, daysPast],
    );
    await pool.query(
      `INSERT INTO timers (kind, timer_key, order_id, due_at, payload) VALUES ($1, $2::text, 'o-' || $2::text, now() - make_interval(days => $3::int), jsonb_build_object('caseId', $2::text, 'owedStretch', 1))`,
      [carrierRecoveryOverdueTimer, caseId, daysPast],
    );
  }
}

const remittance = (reference: string, caseIds: string[]) => ({ reference, carrier: "ZTO", currency: "CNY", allocations: caseIds.map((caseId) => ({ caseId, amountMinor: 400 })), ...clerk });

describe.each([
  { path: "a remittance's booking", book: false, race: (reference: string, caseIds: string[]) => recordCarrierRemittance(pool, outbox, remittance(reference, caseIds), "corr-book") },
  { path: "a remittance's whole reversal", book: true, race: (reference: string) => reverseCarrierRemittance(pool, outbox, { reference, reason: "booked in error", ...clerk }, "corr-reverse") },
])("the overdue timer's batch racing $path over the same recoveries", ({ path, book, race }) => {
  it("takes the recoveries in case order too: no deadlock, every timer fires in its pass and announces once", async () => {
    const prefix = `${path.length}-${Date.now()}`;
    // Case order first < middle < last; due order last, middle, first.
    const [first, middle, last] = ["1", "2", "3"].map((n) => `c-${prefix}-${n}`) as [string, string, string];
    await pastDue([
      { caseId: last, daysPast: 3 },
      { caseId: middle, daysPast: 2 },
      { caseId: first, daysPast: 1 },
    ]);
    const reference = `RACE-${prefix}`;
    if (book) await recordCarrierRemittance(pool, outbox, remittance(reference, [first, last]), "corr-booked");
    const batch = new TimerPoller({ pool, logger, handlers: { [carrierRecoveryOverdueTimer]: carrierRecoveryOverdueDue(outbox, logger) } });
    const { rows: timeout } = await pool.query<{ ms: number }>("SELECT setting::int AS ms FROM pg_settings WHERE name = 'deadlock_timeout'");

    const held = await pool.connect();
    try {
      await held.query("BEGIN");
      await held.query("SELECT 1 FROM carrier_recoveries WHERE case_id = $1 FOR UPDATE", [middle]);
      const fired = batch.fireDue();
      await sessionsBlockedOnLocks(pool, 1);
      const raced = race(reference, [first, last]).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await sessionsBlockedOnLocks(pool, 2);
      // Past the racing path's own deadlock check, so that a cycle closed later is found by the batch's session.
      await new Promise((resolve) => setTimeout(resolve, timeout[0]!.ms + 500));
      await held.query("COMMIT");
      expect(await fired).toBe(3);
      const answered = await raced;
      if (!answered.ok) throw answered.error;
    } finally {
      await held.query("ROLLBACK");
      held.release();
    }

    const { rows: timers } = await pool.query("SELECT timer_key, fired_at IS NOT NULL AS fired, outages, last_error FROM timers WHERE timer_key = ANY($1) ORDER BY timer_key", [[first, middle, last]]);
    expect(timers).toEqual([first, middle, last].map((key) => ({ timer_key: key, fired: true, outages: 0, last_error: null })));
    const { rows: announced } = await pool.query("SELECT case_id, overdue_announced_stretch FROM carrier_recoveries WHERE case_id = ANY($1) ORDER BY case_id", [[first, middle, last]]);
    expect(announced).toEqual([first, middle, last].map((caseId) => ({ case_id: caseId, overdue_announced_stretch: 1 })));
  });
});
