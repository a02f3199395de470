import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { clerk, putOnRecord, testDeadlines, reservationRequested, testStore } from "../../test-fixtures.ts";
import { clerkShips, replacementRace } from "./replacement-race-fixture.ts";
import { stockLedger } from "./stock-ledger.ts";

/**
 * Exchanges' replacements (ADR 030) take the stock rows in the global order before their own
 * row, as everything else does (stock-locks.ts): the acceptances' batches, clerks shipping
 * replacements, the desk calling them off and fulfillment's reservation batches race over the
 * same SKUs, and none deadlocks, fails or oversells.
 */
const race = replacementRace("replacement-locks-test");
const { outbox, logger, agent, applyOrders, applyCases, exchangeAccepted } = race;
let pool: pg.Pool;
beforeAll(() => {
  pool = race.pool();
});

describe("replacement locks", () => {
  it("let acceptances, clerks' shipments, the desk's call-offs and reservation batches over the same SKUs queue: none deadlocks, fails or oversells", async () => {
    const storeId = testStore();
    const skus = ["A", "B", "C", "D"];
    await putOnRecord(pool, skus.flatMap((sku) => [{ storeId, sku, location: "L1", onHand: 40, safetyStock: 0 }, { storeId, sku, location: "L2", onHand: 15, safetyStock: 0 }]));
    // Exchanges naming their SKUs in every order, several to a batch.
    const exchanges = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 4 }, (_, k) => exchangeAccepted(storeId, [{ sku: skus[(b + k) % 4]!, quantity: 1 + (k % 2) }, { sku: skus[(b + 3 * k + 1) % 4]!, quantity: 1 }])),
    );
    const reservations = (round: number) =>
      Array.from({ length: 10 }, (_, b) => Array.from({ length: 4 }, (_, k) => reservationRequested(storeId, [{ sku: skus[(b * round + k) % 4]!, quantity: 1 }, { sku: skus[(b + k + round) % 4]!, quantity: 2 }])));

    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    await Promise.all([...exchanges.map((batch) => applyCases(batch).catch(record)), ...reservations(1).map((batch) => applyOrders(batch).catch(record))]);
    expect(failures).toEqual([]);

    // Now a clerk ships each replacement while the desk calls it off, and more orders are reserved.
    const caseIds = exchanges.flat().map((e) => e.payload.caseId);
    const caller = { kind: clerk.kind, id: clerk.id, role: clerk.role };
    const shipAndCallOff = caseIds.flatMap((caseId, i) => [
      clerkShips(pool, outbox, { caseId, carrier: "SF Express", trackingNumber: `SF${i}`, caller, correlationId: "race", callerStoreIds: [] }, "race", logger),
      callOffReplacement(pool, outbox, { caseId, reason: "refund instead", caller: agent, correlationId: "race" }, "race", logger, testDeadlines),
    ]);
    // The loser of each race is refused (shipped already, called off already), as is a replacement left
    // awaiting stock when the shelves ran short: answers, not failures.
    const answers = new Set(["replacement.already-shipped", "replacement.called-off", "replacement.out-of-stock"]);
    const settled = await Promise.allSettled([...shipAndCallOff, ...reservations(2).map((batch) => applyOrders(batch))]);
    const broken = settled.flatMap((s) => (s.status === "rejected" && !answers.has((s.reason as { code?: string }).code ?? "") ? [s.reason] : []));
    expect(broken).toEqual([]);

    const { rows } = await pool.query<{ promisable: number }>("SELECT min(on_hand - reserved - safety_stock)::int AS promisable FROM stock WHERE store_id = $1", [storeId]);
    expect(rows[0]!.promisable).toBeGreaterThanOrEqual(0);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
    const { rows: statuses } = await pool.query<{ status: string; count: number }>("SELECT status, count(*)::int AS count FROM replacements WHERE store_id = $1 GROUP BY status ORDER BY status", [storeId]);
    expect(statuses.reduce((sum, s) => sum + s.count, 0)).toBe(caseIds.length);
    expect(statuses.map((s) => s.status)).not.toContain("reserved");
  });
});
