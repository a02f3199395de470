import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { moveReplacement } from "../../app/commands/move-replacement.ts";
import { receiveStock } from "../../app/commands/receive-stock.ts";
import { recordExpectedRestock } from "../../app/commands/record-expected-restock.ts";
import { clerk, putOnRecord, testDeadlines, testStore } from "../../test-fixtures.ts";
import { clerkShips, replacementRace } from "./replacement-race-fixture.ts";
import { stockLedger } from "./stock-ledger.ts";

/**
 * The desk's moves of waiting replacements to another store (ADR 030's third addendum) take both
 * stores' stock rows in one sorted statement, then the replacement. Raced against what locks the
 * same things — receipts at either store reserving the replacements waiting there, expected restock
 * dates told to them, clerks' shipments and the desk's call-offs (which may have read a replacement
 * at the store it left) — none deadlocks or fails, none oversells either store, and every
 * replacement is reserved once, at the store it now belongs to.
 */
const race = replacementRace("replacement-move-locks-test");
const { outbox, logger, agent, applyCases, exchangeAccepted } = race;
let pool: pg.Pool;
beforeAll(() => {
  pool = race.pool();
});
const caller = { kind: clerk.kind, id: clerk.id, role: clerk.role };
const desk = { kind: agent.kind, id: agent.id, role: agent.role };

describe("replacements moved to another store while stock rises and clerks ship", () => {
  it("neither deadlock nor oversell, and reserve each replacement once, at its store", async () => {
    const [storeA, storeB] = [testStore(), testStore()];
    const skus = ["A", "B", "C"];
    await putOnRecord(pool, [
      ...skus.map((sku) => ({ storeId: storeA, sku, location: "L1", onHand: 0, safetyStock: 0 })),
      ...skus.flatMap((sku) => [
        { storeId: storeB, sku, location: "L1", onHand: 4, safetyStock: 1 },
        { storeId: storeB, sku, location: "L2", onHand: 2, safetyStock: 0 },
      ]),
    ]);
    // Every exchange at A waits; a few at B wait too, once B's stock is spoken for.
    const atA = Array.from({ length: 12 }, (_, i) => exchangeAccepted(storeA, [{ sku: skus[i % 3]!, quantity: 1 }, { sku: skus[(i + 1) % 3]!, quantity: 1 + (i % 2) }]));
    await applyCases(atA);
    const caseIds = atA.map((e) => e.payload.caseId);

    const moves = caseIds.flatMap((caseId, i) => [
      moveReplacement(pool, outbox, { caseId, toStoreId: storeB, reason: "B has them", caller: desk, correlationId: "race" }, "race", logger, testDeadlines),
      // The same desk asking twice at once: one moves it, the other answers it as it stands.
      ...(i % 4 === 0 ? [moveReplacement(pool, outbox, { caseId, toStoreId: storeB, reason: "B has them", caller: desk, correlationId: "race" }, "race", logger, testDeadlines)] : []),
    ]);
    const ships = caseIds.filter((_, i) => i % 2 === 0).map((caseId, i) => clerkShips(pool, outbox, { caseId, carrier: "SF Express", trackingNumber: `SF${i}`, caller, correlationId: "race", callerStoreIds: [storeA] }, "race", logger));
    const callOffs = caseIds.filter((_, i) => i % 5 === 1).map((caseId) => callOffReplacement(pool, outbox, { caseId, reason: "refund instead", caller: desk, correlationId: "race" }, "race", logger, testDeadlines));
    const receipts = Array.from({ length: 9 }, (_, i) =>
      receiveStock(pool, outbox, { storeId: i % 3 === 0 ? storeB : storeA, receiptId: `DN-${i}`, sku: skus[i % 3]!, location: "L1", quantity: 1 + (i % 2), caller }, "race", testDeadlines),
    );
    const dates = skus.map((sku) => recordExpectedRestock(pool, outbox, { storeId: storeA, sku, date: "2030-01-15", location: "", caller, correlationId: "race" }, "race", () => new Date()));
    const moreAtB = applyCases(Array.from({ length: 3 }, (_, i) => exchangeAccepted(storeB, [{ sku: skus[i]!, quantity: 2 }])));

    // Answers, not failures: a store short, a replacement no longer waiting, shipped or called off by the other racer.
    // A's clerks ship only what still ships from A: one the move took first is refused them, not shipped off B's books.
    const answers = new Set(["replacement.out-of-stock", "replacement.not-awaiting-stock", "replacement.already-shipped", "replacement.called-off", "caller.out-of-store-scope"]);
    const settled = await Promise.allSettled([...moves, ...ships, ...callOffs, ...receipts, ...dates, moreAtB]);
    const broken = settled.flatMap((s) => (s.status === "rejected" && !answers.has((s.reason as { code?: string }).code ?? "") ? [s.reason] : []));
    expect(broken).toEqual([]);

    const { rows: promisable } = await pool.query<{ store_id: string; least: number }>(
      "SELECT store_id, min(on_hand - reserved - safety_stock)::int AS least FROM stock WHERE store_id = ANY($1::text[]) GROUP BY store_id",
      [[storeA, storeB]],
    );
    for (const row of promisable) expect(row.least, row.store_id).toBeGreaterThanOrEqual(0);
    expect(await stockLedger.discrepancies(pool, storeA)).toEqual([]);
    expect(await stockLedger.discrepancies(pool, storeB)).toEqual([]);
    // Reserved once per line, and only ever at the store the replacement now belongs to.
    const { rows: misplaced } = await pool.query(
      `SELECT m.case_id, m.store_id, m.sku, m.location, count(*)::int AS n, r.store_id AS now_at
       FROM stock_movements m JOIN replacements r USING (case_id)
       WHERE m.kind = 'reserved' AND m.case_id = ANY($1::text[])
       GROUP BY m.case_id, m.store_id, m.sku, m.location, r.store_id
       HAVING count(*) > 1 OR m.store_id <> r.store_id`,
      [caseIds],
    );
    expect(misplaced).toEqual([]);
    const { rows: moved } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM replacements WHERE case_id = ANY($1::text[]) AND moved_at IS NOT NULL", [caseIds]);
    expect(moved[0]!.n).toBeGreaterThan(0);
    const { rows: shippedElsewhere } = await pool.query("SELECT case_id, store_id FROM replacements WHERE case_id = ANY($1::text[]) AND status = 'shipped' AND store_id <> $2", [caseIds, storeA]);
    expect(shippedElsewhere).toEqual([]);
  });
});
