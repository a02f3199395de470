import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { messagingMigrations } from "@oms/messaging";
import { createPool, runMigrations } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { warehouseService } from "../../service.ts";
import { replacementRepository } from "./replacement-repository.ts";

/**
 * Migration 017 (ADR 030's seventh addendum) on a database that has replacements already: the rows
 * on record when it lands predate the steps and still ship in one go, with their ship-by node kept
 * as the ship step's; every replacement opened after it is stepped.
 */
let namespace: TestNamespace;
let pool: pg.Pool;
const steps = "warehouse/017_replacement_clerk_steps";

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "replacement-steps-migration-test", max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

const insert = (caseId: string) =>
  pool.query(
    `INSERT INTO replacements (case_id, order_id, store_id, lines, reserved, status, since, reserved_at)
     VALUES ($1, 'o-' || $1, 'store-1', '[{"sku":"K","quantity":1}]', '[{"sku":"K","location":"A","quantity":1}]', 'reserved', now(), now())`,
    [caseId],
  );

describe("migration 017 on replacements already on record", () => {
  it("marks them as predating the steps, keeps their ship-by node as the ship step's, and opens every later one stepped", async () => {
    const all = [...messagingMigrations, ...timerMigrations, ...warehouseService.migrations];
    expect(all.map((m) => m.id)).toContain(steps);
    await runMigrations(pool, "public", all.filter((m) => m.id !== steps));
    await insert("case-before");
    await pool.query("INSERT INTO replacement_ship_deadlines (case_id, order_id, store_id, started_at, due_at) VALUES ('case-before', 'o-case-before', 'store-1', now(), now() + interval '1 hour')");

    await runMigrations(pool, "public", all);
    await insert("case-after");
    expect(await replacementRepository.find(pool, "case-before")).toMatchObject({ status: "reserved", predatesSteps: true });
    expect((await replacementRepository.find(pool, "case-after"))?.predatesSteps).toBeUndefined();
    const { rows } = await pool.query("SELECT case_id, step FROM replacement_ship_deadlines");
    expect(rows).toEqual([{ case_id: "case-before", step: "ship" }]);
  });
});
