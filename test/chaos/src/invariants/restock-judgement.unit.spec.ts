import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "./context.ts";
import { judgeRestockDates, type ReplacementDateRow, type RestockFacts, type RestockTrailRow, type StockDateRow } from "./restock-judgement.ts";

/**
 * The restock-date check must fail on every way a recorded date can go wrong under faults: a
 * healthy run's facts, then one planted violation at a time.
 */
const told = (caseId: string, ...dates: [string, string, string, boolean?][]): [string, ExchangeRecord] => [
  caseId,
  {
    caseId,
    orderId: `o-${caseId}`,
    storeId: "store-1",
    intent: "ship",
    opened: true,
    restockDates: dates.map(([storeId, sku, date, answered]) => ({ storeId, sku, date, answered: answered ?? true })),
  },
];

interface PlantedFacts extends RestockFacts {
  trail: RestockTrailRow[];
  stock: StockDateRow[];
  replacements: ReplacementDateRow[];
  asked: Map<string, ExchangeRecord>;
}

/**
 * Two exchanges at store-1: KETTLE told the 15th then the 20th (the 20th stands), LID the 18th and
 * cleared since by a goods receipt; a replacement of both waits and its case shows the 20th, a
 * shipped one shows nothing.
 */
function healthy(): PlantedFacts {
  return {
    asked: new Map([told("x-1", ["store-1", "KETTLE", "2026-12-15"], ["store-1", "LID", "2026-12-18"]), told("x-2", ["store-1", "KETTLE", "2026-12-20"])]),
    trail: [
      { id: 1, store_id: "store-1", sku: "KETTLE", date: "2026-12-15", previous: null },
      { id: 2, store_id: "store-1", sku: "LID", date: "2026-12-18", previous: null },
      { id: 3, store_id: "store-1", sku: "KETTLE", date: "2026-12-20", previous: "2026-12-15" },
    ],
    stock: [
      { store_id: "store-1", sku: "KETTLE", date: "2026-12-20", receipt_since: false },
      { store_id: "store-1", sku: "LID", date: null, receipt_since: true },
      { store_id: "store-2", sku: "KETTLE", date: null, receipt_since: false },
    ],
    replacements: [
      { case_id: "x-1", status: "awaiting-stock", store_id: "store-1", skus: ["KETTLE"], case_date: "2026-12-20" },
      { case_id: "x-2", status: "shipped", store_id: "store-1", skus: ["KETTLE", "LID"], case_date: null },
    ],
  };
}

const judged = (change: (facts: PlantedFacts) => void) => {
  const facts = healthy();
  change(facts);
  return judgeRestockDates(facts);
};

describe("invariant: every expected restock date recorded is told, on the stock and the waiting case", () => {
  it("passes dates told, replaced and cleared by a receipt, and a waiting case showing its date", () => {
    const { failures, figure } = judgeRestockDates(healthy());
    expect(failures).toEqual([]);
    expect(figure).toBe(
      "3 expected restock dates recorded for 2 SKUs of stores, each on the trail and on the stock as last told (1 cleared by a goods receipt since); 1 waiting replacements' cases show their date, none that does not wait; 0 problems",
    );
  });

  it("catches an answered date missing from the trail, a date nobody meant, a clearing nobody asked, and a retry written twice", () => {
    expect(judged((f) => (f.trail = f.trail.filter((t) => t.id !== 2))).failures).toEqual([
      "restock of store-1/LID expected 2026-12-18 was answered for case x-1, but is not on the trail",
    ]);
    expect(judged((f) => f.trail.push({ id: 4, store_id: "store-1", sku: "KETTLE", date: "2027-01-01", previous: "2026-12-20" })).failures).toEqual([
      "restock of store-1/KETTLE expected 2027-01-01 (trail 4), which no clerk set out to record",
      "store-1/KETTLE's stock tells restock 2026-12-20, its last statement 2027-01-01",
    ]);
    expect(judged((f) => f.trail.push({ id: 4, store_id: "store-1", sku: "LID", date: null, previous: "2026-12-18" })).failures).toEqual([
      "restock of store-1/LID cleared (trail 4), which nobody asked",
    ]);
    expect(judged((f) => f.trail.push({ id: 4, store_id: "store-1", sku: "KETTLE", date: "2026-12-20", previous: "2026-12-20" })).failures).toEqual([
      "restock of store-1/KETTLE stated 2026-12-20 again over itself (trail 4)",
    ]);
    // A date whose answer was lost may be on the trail: the clerk set out to record it.
    expect(judged((f) => f.asked.set(...told("x-3", ["store-1", "KETTLE", "2026-12-15", false]))).failures).toEqual([]);
  });

  it("catches the stock telling another date than the last stated, or none without a receipt since", () => {
    expect(judged((f) => (f.stock[0] = { ...f.stock[0]!, date: "2026-12-15" })).failures).toContainEqual("store-1/KETTLE's stock tells restock 2026-12-15, its last statement 2026-12-20");
    expect(judged((f) => (f.stock[1] = { ...f.stock[1]!, receipt_since: false })).failures).toEqual(["store-1/LID's stock tells restock unknown, its last statement 2026-12-18"]);
  });

  it("catches a case showing a date for a replacement not waiting, another date than its SKUs', or none when each has one", () => {
    expect(judged((f) => (f.replacements[1] = { ...f.replacements[1]!, case_date: "2026-12-20" })).failures).toEqual(["case x-2 shows restock 2026-12-20 for a replacement shipped"]);
    expect(judged((f) => (f.replacements[0] = { ...f.replacements[0]!, case_date: "2026-12-15" })).failures).toEqual([
      "case x-1 shows restock 2026-12-15, its SKUs at store-1 expect 2026-12-20",
    ]);
    expect(judged((f) => (f.replacements[0] = { ...f.replacements[0]!, case_date: null })).failures).toEqual([
      "case x-1 shows no restock date, though every SKU of its replacement at store-1 expects one (2026-12-20)",
    ]);
    // One SKU's date unknown: the case rightly shows none.
    expect(judged((f) => (f.replacements[0] = { ...f.replacements[0]!, skus: ["KETTLE", "LID"], case_date: null })).failures).toEqual([]);
  });
});
