import { describe, expect, it } from "vitest";
import { expectedRestockWorklist, type ExpectedRestockRow } from "./expected-restock-worklist.ts";
import { assertRecordable } from "./restock-expectation.ts";

const row = (sku: string, date: string, overrides: Partial<ExpectedRestockRow> = {}): ExpectedRestockRow => ({
  sku,
  date,
  recordedAt: "",
  recordedBy: "",
  available: 0,
  waitingReplacements: 0,
  unitsWanted: 0,
  ...overrides,
});

// 09:30 UTC on 2026-12-08: the earliest today anywhere (UTC-12) is still the 7th.
const now = new Date("2026-12-08T09:30:00Z");

describe("the store's expected restocks as a worklist", () => {
  it("calls a date overdue only when recording it would be refused as past: one rule for both", () => {
    const list = expectedRestockWorklist([row("A", "2026-12-06"), row("B", "2026-12-07"), row("C", "2026-12-08")], now, false);
    expect(list.map((e) => [e.sku, e.overdue])).toEqual([
      ["A", true],
      ["B", false],
      ["C", false],
    ]);
    // The same days against the command: the 6th refused, the 7th (still today at UTC-12) taken.
    expect(() => assertRecordable({ storeId: "s", sku: "A", date: "2026-12-06", reason: "" }, now)).toThrow();
    expect(() => assertRecordable({ storeId: "s", sku: "B", date: "2026-12-07", reason: "" }, now)).not.toThrow();
    // At 12:00 UTC the 7th is over at UTC-12 too: now overdue.
    expect(expectedRestockWorklist([row("B", "2026-12-07")], new Date("2026-12-08T12:00:00Z"), false)[0]?.overdue).toBe(true);
  });

  it("puts the overdue first, the longest over first, then the coming ones by date, then by SKU", () => {
    const list = expectedRestockWorklist([row("Z", "2027-01-05"), row("Y", "2026-12-01"), row("B", "2026-12-20"), row("A", "2026-12-20"), row("X", "2026-11-15")], now, false);
    expect(list.map((e) => e.sku)).toEqual(["X", "Y", "A", "B", "Z"]);
  });

  it("keeps only the overdue ones when asked", () => {
    const list = expectedRestockWorklist([row("Z", "2027-01-05"), row("Y", "2026-12-01"), row("X", "2026-11-15")], now, true);
    expect(list.map((e) => e.sku)).toEqual(["X", "Y"]);
    expect(expectedRestockWorklist([row("Z", "2027-01-05")], now, true)).toEqual([]);
  });

  it("counts the replacements' units beyond what is available now as short, never below zero", () => {
    const [short, covered] = expectedRestockWorklist(
      [row("A", "2026-12-20", { available: 1, waitingReplacements: 2, unitsWanted: 3 }), row("B", "2026-12-21", { available: 5, waitingReplacements: 1, unitsWanted: 2 })],
      now,
      false,
    );
    expect(short).toMatchObject({ sku: "A", available: 1, waitingReplacements: 2, unitsShort: 2 });
    expect(covered).toMatchObject({ sku: "B", unitsShort: 0 });
    expect(short).not.toHaveProperty("unitsWanted");
  });
});
