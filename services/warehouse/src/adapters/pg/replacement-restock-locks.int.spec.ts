import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { EventTypes, decodeEvent, type OrderEvent } from "@oms/contracts";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { countStock } from "../../app/commands/count-stock.ts";
import { receiveStock } from "../../app/commands/receive-stock.ts";
import { rejectReservation } from "../../app/commands/reject-reservation.ts";
import { allocate } from "../../domain/allocation.ts";
import { clerk, putOnRecord, releaseRequested, reservationRequested, testDeadlines, testSku, testStore } from "../../test-fixtures.ts";
import { clerkShips, replacementRace } from "./replacement-race-fixture.ts";
import { replacementRepository } from "./replacement-repository.ts";
import { stockLedger } from "./stock-ledger.ts";
import { stockRepository } from "./stock-repository.ts";

/**
 * Replacements awaiting stock are reserved by the step that raises it (ADR 030's addendum):
 * receipts, counts, call-offs and fulfillment's releases take the waiting replacements' stock
 * rows in their one sorted statement, then the replacements, then the rows again without
 * waiting (stock-locks.ts). Raced against acceptances, clerks' shipments and reservation
 * batches over the same multi-SKU lines: none deadlocks, fails or oversells, no replacement is
 * reserved twice, and none is left waiting while the stock it needs is free.
 */
const race = replacementRace("replacement-restock-locks-test");
const { outbox, logger, agent, applyOrders, applyCases, exchangeAccepted } = race;
let pool: pg.Pool;
beforeAll(() => {
  pool = race.pool();
});
const caller = { kind: clerk.kind, id: clerk.id, role: clerk.role };

describe("replacements reserved as stock rises", () => {
  it("let receipts, counts, call-offs and releases race acceptances, shipments and reservation batches: none deadlocks, fails, oversells or reserves twice, none waits for free stock", async () => {
    const storeId = testStore();
    const skus = ["A", "B", "C", "D"];
    await putOnRecord(pool, skus.flatMap((sku) => [{ storeId, sku, location: "L1", onHand: 3, safetyStock: 0 }, { storeId, sku, location: "L2", onHand: 0, safetyStock: 0 }]));
    // Orders first take most of the stock; then exchanges naming their SKUs in every order mostly wait.
    const heldOrders = Array.from({ length: 4 }, (_, b) => reservationRequested(storeId, [{ sku: skus[b]!, quantity: 1 }, { sku: skus[(b + 2) % 4]!, quantity: 1 }]));
    await applyOrders(heldOrders);
    const exchanges = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 3 }, (_, k) => exchangeAccepted(storeId, [{ sku: skus[(b + k) % 4]!, quantity: 1 + (k % 2) }, { sku: skus[(b + 3 * k + 1) % 4]!, quantity: 1 }])),
    );
    for (const batch of exchanges.slice(0, 4)) await applyCases(batch);

    // Now stock rises every way while more exchanges are accepted, clerks ship, the desk calls off and orders come and go.
    const waitingIds = exchanges.slice(0, 4).flat().map((e) => e.payload.caseId);
    const receipts = Array.from({ length: 16 }, (_, i) =>
      receiveStock(pool, outbox, { storeId, receiptId: `DN-${i}`, sku: skus[(i * 3) % 4]!, location: i % 2 ? "L1" : "L2", quantity: 4 + (i % 3), caller }, "race", testDeadlines),
    );
    const counts = skus.map((sku) => countStock(pool, outbox, { storeId, sku, location: "L2", counted: 4, reason: "found on the top shelf", caller }, "race", testDeadlines));
    const desk = waitingIds.flatMap((caseId, i) =>
      i % 3 === 0
        ? [callOffReplacement(pool, outbox, { caseId, reason: "refund instead", caller: agent, correlationId: "race" }, "race", logger, testDeadlines)]
        : i % 3 === 1
          ? [clerkShips(pool, outbox, { caseId, carrier: "SF Express", trackingNumber: `SF${i}`, caller, correlationId: "race", callerStoreIds: [] }, "race", logger)]
          : [],
    );
    const releases = heldOrders.map((o) => applyOrders([releaseRequested(storeId, o.orderId, o.payload.reservationId), reservationRequested(storeId, [{ sku: skus[3]!, quantity: 1 }, { sku: skus[0]!, quantity: 1 }])]));
    const moreOrders = Array.from({ length: 4 }, (_, b) => applyOrders([reservationRequested(storeId, [{ sku: skus[(b + 1) % 4]!, quantity: 2 }])]));
    const moreExchanges = exchanges.slice(4).map((batch) => applyCases(batch));
    // Refusals are answers: a shipment still short of stock, a count below what is reserved.
    const answers = new Set(["replacement.out-of-stock", "stock.count-below-reserved"]);
    const settled = await Promise.allSettled([...receipts, ...counts, ...desk, ...releases, ...moreOrders, ...moreExchanges]);
    const broken = settled.flatMap((s) => (s.status === "rejected" && !answers.has((s.reason as { code?: string }).code ?? "") ? [s.reason] : []));
    expect(broken).toEqual([]);

    const { rows } = await pool.query<{ promisable: number }>("SELECT min(on_hand - reserved - safety_stock)::int AS promisable FROM stock WHERE store_id = $1", [storeId]);
    expect(rows[0]!.promisable).toBeGreaterThanOrEqual(0);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
    const { rows: twice } = await pool.query(
      "SELECT case_id, sku, location, count(*)::int AS n FROM stock_movements WHERE store_id = $1 AND kind = 'reserved' AND case_id IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1",
      [storeId],
    );
    expect(twice).toEqual([]);
    const { rows: published } = await pool.query<{ payload: Buffer }>("SELECT payload FROM outbox WHERE event_type = $1", [EventTypes.ReplacementReserved]);
    const reservedCases = published.map((r) => (decodeEvent(r.payload) as OrderEvent & { payload: { caseId: string } }).payload.caseId);
    expect(reservedCases.length).toBe(new Set(reservedCases).size);
    // The receipts bring more than everyone asks for: the replacements that waited were served by the rises.
    const { rows: onRise } = await pool.query<{ n: number }>(
      "SELECT count(DISTINCT case_id)::int AS n FROM stock_movements WHERE store_id = $1 AND kind = 'reserved' AND case_id = ANY($2::text[]) AND reason LIKE '%as stock came in%'",
      [storeId, waitingIds],
    );
    expect(onRise[0]!.n).toBeGreaterThan(0);

    // Every rise served the waiting first: none still waits for stock that is free now.
    const stock = await stockRepository.levels(pool, storeId, []);
    const stillWaiting = (await replacementRepository.listToShip(pool, storeId, { size: 500, after: undefined })).filter((r) => r.status === "awaiting-stock");
    expect(stillWaiting.filter((r) => allocate(r.lines, stock).kind === "allocated").map((r) => r.caseId)).toEqual([]);
  });

  it("give the units of a routed order the store turns down to the replacement waiting there, in the rejection's transaction", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await pool.query(`INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Minhang}', 100)`, [storeId]);
    await putOnRecord(pool, [{ storeId, sku: kettle, location: "A-1", onHand: 2, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku: kettle, quantity: 2 }]);
    await applyOrders([{ ...request, payload: { ...request.payload, route: true, district: "Minhang" } }]);
    const exchange = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    await applyCases([exchange]);
    expect((await replacementRepository.find(pool, exchange.payload.caseId))?.status).toBe("awaiting-stock");

    const manager = { kind: "staff", id: "mgr-1", role: "store-manager" };
    await rejectReservation(pool, outbox, testDeadlines, { reservationId: request.payload.reservationId, reason: "shelf flooded", caller: manager, correlationId: "" });
    expect(await replacementRepository.find(pool, exchange.payload.caseId)).toMatchObject({ status: "reserved", reserved: [{ sku: kettle, location: "A-1", quantity: 1 }] });
    const { rows } = await pool.query("SELECT kind, quantity, actor_id FROM stock_movements WHERE case_id = $1", [exchange.payload.caseId]);
    expect(rows).toEqual([{ kind: "reserved", quantity: 1, actor_id: "mgr-1" }]);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
  });
});
