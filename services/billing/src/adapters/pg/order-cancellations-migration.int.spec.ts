import path from "node:path";
import { expect, it } from "vitest";
import { migrationsFromDirectory, runMigrations } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";

// A database as billing left it before it kept cancellations, then brought up to date.
const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "billing");
const database = useMigratedDatabase(
  "billing-migration-test",
  migrations.filter((m) => m.id < "billing/005"),
);

it("remembers as cancelled the orders whose cancellation refunded money before cancellations were kept", async () => {
  const { pool } = database;
  await pool.query(
    `INSERT INTO refunds (refund_id, order_id, amount_minor, currency, method, source, reason, trigger, reference, issued_by) VALUES
       ('r-1', 'o-cancelled', 800, 'CNY', 'bank-transfer', 'p-1', 'order cancelled: moved away', 'cancellation', 'cancellation:e-1', 'customer:c-1'),
       ('r-2', 'o-cancelled', 200, 'CNY', 'collected-on-delivery', 'p-2', 'order cancelled: moved away', 'cancellation', 'cancellation:e-1', 'customer:c-1'),
       ('r-3', 'o-goodwill', 100, 'CNY', 'third-party', 'prepayment', 'goodwill', 'finance', 'finance:T-1', 'staff:f-1')`,
  );
  await runMigrations(pool, "public", migrations);
  const { rows } = await pool.query("SELECT order_id, reference, reason, cancelled_by FROM order_cancellations");
  expect(rows).toEqual([{ order_id: "o-cancelled", reference: "cancellation:e-1", reason: "order cancelled: moved away", cancelled_by: "customer:c-1" }]);
});
