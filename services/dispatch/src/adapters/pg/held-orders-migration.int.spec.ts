import path from "node:path";
import { expect, it } from "vitest";
import { migrationsFromDirectory, runMigrations } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";

// A database as dispatch left it before it kept the orders held (migration 015), then brought up to date.
const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "dispatch");
const database = useMigratedDatabase(
  "dispatch-migration-test",
  migrations.filter((m) => m.id < "dispatch/015"),
);

it("keeps as held only the orders whose tasks are paused now, not those whose paused tasks a cancellation or a delivery closed", async () => {
  const { pool } = database;
  // Before migration 015 a closed task kept its pause mark: a cancellation during the hold never resumed the order.
  await pool.query(`INSERT INTO staff (staff_id, store_id, name, capacity, shift_start, shift_end, shift_days, timezone) VALUES ('tech-1', 's-1', 'Tech', 4, '08:00', '18:00', '{1,2,3,4,5}', 'Asia/Shanghai')`);
  await pool.query(
    `INSERT INTO tasks (task_id, order_id, store_id, kind, region, priority, status, assignee_staff_id, correlation_id, causation_id, held_since, hold_round) VALUES
       ('t-held', 'o-held', 's-1', 'delivery', 'Xuhui', 1, 'pending', NULL, 'c', 'e-1', '2026-12-01T08:00:00Z', 1),
       ('t-held-too', 'o-held', 's-1', 'service', 'Xuhui', 1, 'pending', NULL, 'c', 'e-2', '2026-12-01T09:00:00Z', 1),
       ('t-cancelled', 'o-cancelled-while-held', 's-1', 'delivery', 'Xuhui', 1, 'cancelled', NULL, 'c', 'e-3', '2026-12-01T08:00:00Z', 1),
       ('t-done', 'o-done-while-held', 's-1', 'service', 'Xuhui', 1, 'done', 'tech-1', 'c', 'e-4', '2026-12-01T08:00:00Z', 1),
       ('t-running', 'o-never-held', 's-1', 'delivery', 'Xuhui', 1, 'pending', NULL, 'c', 'e-5', NULL, 0)`,
  );
  await runMigrations(pool, "public", migrations);
  const { rows } = await pool.query("SELECT order_id, held_since FROM held_orders ORDER BY order_id");
  expect(rows).toEqual([{ order_id: "o-held", held_since: new Date("2026-12-01T08:00:00Z") }]);
});
