import path from "node:path";
import { expect, it } from "vitest";
import { migrationsFromDirectory, runMigrations } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";
import { timerMigrations } from "@oms/timers";

// A database as billing left it before it counted owed stretches (migration 016), then brought up
// to date: a recovery its overdue timer found paid in full, and owing since, is chased at once.
const migrations = [...timerMigrations, ...(await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "billing"))];
const database = useMigratedDatabase(
  "billing-stretch-migration-test",
  migrations.filter((m) => !m.id.startsWith("billing/") || m.id < "billing/016"),
);

it("chases anew a recovery owing again after its timer found it paid, and counts one announced as its first stretch announced", async () => {
  const { pool } = database;
  // case id, received, announced, its timer fired
  const recoveries: [string, number, boolean, boolean][] = [
    ["c-owing-again", 300, false, true],
    ["c-announced", 0, true, true],
    ["c-paid", 1_000, false, true],
    ["c-not-yet-due", 0, false, false],
  ];
  for (const [caseId, received, announced, fired] of recoveries) {
    await pool.query(
      `INSERT INTO carrier_recoveries (case_id, order_id, store_id, carrier, carrier_reference, due_minor, currency, received_minor, settled_at, due_by, overdue_announced_at)
       VALUES ($1::text, 'o-' || $1::text, 's-1', 'ZTO', '', 1000, 'CNY', $2, now() - interval '40 days',
               CASE WHEN $4::boolean THEN now() - interval '10 days' ELSE now() + interval '10 days' END, CASE WHEN $3::boolean THEN now() - interval '10 days' END)`,
      [caseId, received, announced, fired],
    );
    await pool.query(
      `INSERT INTO timers (kind, timer_key, order_id, due_at, payload, fired_at) VALUES ('billing.carrier-recovery-overdue', $1::text, 'o-' || $1::text, now(), jsonb_build_object('caseId', $1::text), CASE WHEN $2::boolean THEN now() END)`,
      [caseId, fired],
    );
  }

  await runMigrations(pool, "public", migrations);

  const stretches = await pool.query("SELECT case_id, owed_stretch, overdue_announced_stretch FROM carrier_recoveries ORDER BY case_id");
  expect(stretches.rows).toEqual([
    { case_id: "c-announced", owed_stretch: 1, overdue_announced_stretch: 1 },
    { case_id: "c-not-yet-due", owed_stretch: 1, overdue_announced_stretch: 0 },
    { case_id: "c-owing-again", owed_stretch: 2, overdue_announced_stretch: 0 },
    { case_id: "c-paid", owed_stretch: 1, overdue_announced_stretch: 0 },
  ]);
  const timers = await pool.query("SELECT timer_key, payload, fired_at, due_at <= now() AS due FROM timers WHERE timer_key LIKE '%#%'");
  expect(timers.rows).toEqual([{ timer_key: "c-owing-again#2", payload: { caseId: "c-owing-again", owedStretch: 2 }, fired_at: null, due: true }]);
});
