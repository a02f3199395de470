import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { receiveStock } from "../../app/commands/receive-stock.ts";
import { recordExpectedRestock } from "../../app/commands/record-expected-restock.ts";
import { clerk, putOnRecord, testDeadlines, testSku, testStore } from "../../test-fixtures.ts";
import { replacementRace } from "./replacement-race-fixture.ts";
import { stockLedger } from "./stock-ledger.ts";

/**
 * A restock date for a SKU the store never stocked, naming the location its delivery will be
 * shelved at (ADR 030's fifth addendum), sent several times at once and raced by the receipts
 * that bring the goods there: the row is put on record once, nothing deadlocks or fails, and the
 * books balance with the receipts booked on that row.
 */
const race = replacementRace("expected-restock-location-locks-test");
const { outbox } = race;
let pool: pg.Pool;
beforeAll(() => {
  pool = race.pool();
});
const caller = { kind: clerk.kind, id: clerk.id, role: clerk.role };

describe("a new product's restock date named at a location, sent at once with its receipts", () => {
  it("puts the row on record once, balanced, and books the receipts on it", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool, [{ storeId, sku: "OTHER", location: "A-01", onHand: 1, safetyStock: 0 }]);
    const record = (i: number) =>
      recordExpectedRestock(pool, outbox, { storeId, sku, date: "2030-03-01", location: i % 2 === 0 ? "N-01" : " N-01 ", caller, correlationId: `r-${i}` }, `r-${i}`, () => new Date());
    const receive = (i: number) =>
      receiveStock(pool, outbox, { storeId, sku, location: "N-01", quantity: 2, receiptId: `DN-${i}`, caller }, `dn-${i}`, testDeadlines);
    const settled = await Promise.allSettled([...Array.from({ length: 8 }, (_, i) => record(i)), receive(1), receive(2)]);
    expect(settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []))).toEqual([]);

    const { rows } = await pool.query("SELECT location, on_hand, reserved FROM stock WHERE store_id = $1 AND sku = $2", [storeId, sku]);
    expect(rows).toEqual([{ location: "N-01", on_hand: 4, reserved: 0 }]);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
  });

  it("named at two new locations at once, states the date once: the second finds it on the first's row and fills its own row without telling it again", async () => {
    for (let round = 0; round < 5; round++) {
      const [storeId, sku] = [testStore(), testSku()];
      await putOnRecord(pool, [{ storeId, sku: "OTHER", location: "A-01", onHand: 1, safetyStock: 0 }]);
      const record = (location: string) =>
        recordExpectedRestock(pool, outbox, { storeId, sku, date: "2030-03-01", location, caller, correlationId: `r-${location}` }, `r-${location}`, () => new Date());
      const answers = await Promise.all([record("N-01"), record("N-02")]);
      expect(answers.map((a) => a.changed).sort()).toEqual([false, true]);
      const { rows: trail } = await pool.query("SELECT expected_restock_date::text AS date FROM restock_expectations WHERE store_id = $1 AND sku = $2", [storeId, sku]);
      expect(trail).toEqual([{ date: "2030-03-01" }]);
      const { rows } = await pool.query("SELECT location, expected_restock_date::text AS date FROM stock WHERE store_id = $1 AND sku = $2 ORDER BY location", [storeId, sku]);
      expect(rows).toEqual([
        { location: "N-01", date: "2030-03-01" },
        { location: "N-02", date: "2030-03-01" },
      ]);
    }
  });
});
