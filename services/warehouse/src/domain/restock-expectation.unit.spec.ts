import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@oms/errors";
import {
  assertClearable,
  assertRecordable,
  decideRestockExpectation,
  isIsoCalendarDate,
  shortLinesNow,
  type RestockExpectation,
} from "./restock-expectation.ts";
import type { StockAtLocation } from "./stock.ts";

const row = (location: string, expectedRestockDate = "", onHand = 0, sku = "KETTLE"): StockAtLocation => ({ sku, location, onHand, reserved: 0, safetyStock: 0, expectedRestockDate });
const expect_ = (date: string, overrides: Partial<RestockExpectation> = {}): RestockExpectation => ({ storeId: "store-1", sku: "KETTLE", date, reason: "", ...overrides });

function fieldsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields.map((f) => `${f.field}: ${f.message}`);
  }
  return [];
}

describe("an expected restock date", () => {
  it("is a real calendar day written YYYY-MM-DD", () => {
    expect(isIsoCalendarDate("2026-12-15")).toBe(true);
    expect(isIsoCalendarDate("2028-02-29")).toBe(true);
    for (const bad of ["2027-02-29", "2026-13-01", "2026-12-32", "2026-12-5", "15/12/2026", "2026-12-15T00:00:00Z", ""]) expect(isIsoCalendarDate(bad), bad).toBe(false);
  });

  it("may be the store's today, wherever the store is: a clerk west of UTC in their afternoon is already in UTC's tomorrow", () => {
    // Los Angeles, 17:00 on the 7th (01:00 UTC on the 8th): "the truck comes tonight".
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-07"), new Date("2026-12-07T17:00:00-08:00")))).toEqual([]);
    // Honolulu, 23:30 on the 7th (09:30 UTC on the 8th).
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-07"), new Date("2026-12-07T23:30:00-10:00")))).toEqual([]);
    // Shanghai, 07:00 on the 8th (23:00 UTC on the 7th): the store's today, and its tomorrow.
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-08"), new Date("2026-12-08T07:00:00+08:00")))).toEqual([]);
    expect(fieldsOf(() => assertRecordable(expect_("2027-01-02"), new Date("2026-12-08T07:00:00+08:00")))).toEqual([]);
  });

  it("is never a day already over everywhere on Earth (its last hour ends at UTC-12)", () => {
    // 12:00 UTC on the 8th is midnight at UTC-12: the 7th has ended everywhere.
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-07"), new Date("2026-12-08T11:59:00Z")))).toEqual([]);
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-07"), new Date("2026-12-08T12:00:00Z")))).toEqual([
      "date: 2026-12-07 is over in every time zone (the earliest today anywhere is 2026-12-08): the delivery can no longer be expected then",
    ]);
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-01"), new Date("2026-12-08T00:00:00Z")))).toHaveLength(1);
  });

  it("refuses a malformed date and a missing store or SKU, naming each field, with the code of a bad date", () => {
    expect(fieldsOf(() => assertRecordable(expect_("2026-02-30", { storeId: "", sku: " " }), new Date("2026-01-01T12:00:00Z")))).toEqual([
      "storeId: is required",
      "sku: is required",
      'date: must be a calendar date written YYYY-MM-DD, got "2026-02-30"',
    ]);
    expect(() => assertRecordable(expect_("soon"), new Date("2026-01-01T12:00:00Z"))).toThrow(expect.objectContaining({ code: "stock.invalid-restock-date" }));
  });

  it("names a location and a SKU the store's new row can keep (at most 64 characters each) when a location is given", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(fieldsOf(() => assertRecordable(expect_("2027-01-02", { location: "N-01" }), now))).toEqual([]);
    expect(fieldsOf(() => assertRecordable(expect_("2027-01-02", { location: "N".repeat(65), sku: "K".repeat(65) }), now))).toEqual(["sku: must be at most 64 characters", "location: must be at most 64 characters"]);
    // No location: the SKU must have a row already, so its length is the row's business, not this one's.
    expect(fieldsOf(() => assertRecordable(expect_("2027-01-02", { sku: "K".repeat(65) }), now))).toEqual([]);
  });

  it("is cleared only with a reason of at most 500 characters", () => {
    expect(fieldsOf(() => assertClearable(expect_("", { reason: "supplier cancelled the delivery" })))).toEqual([]);
    expect(fieldsOf(() => assertClearable(expect_("", { reason: "  " })))).toEqual(["reason: is required: say why the delivery is no longer expected on a known day"]);
    expect(fieldsOf(() => assertClearable(expect_("", { reason: "x".repeat(501) })))).toEqual(["reason: must be at most 500 characters"]);
  });
});

describe("recording it on the SKU's rows", () => {
  it("changes every location from the earliest date the readers told until now", () => {
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01", "2026-12-18"), row("B-02", "2026-12-15"), row("C-03")], true)).toEqual({ kind: "changed", previous: "2026-12-15" });
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01")], true)).toEqual({ kind: "changed", previous: "" });
  });

  it("changes nothing when every location carries the date already (a retry, or cleared twice)", () => {
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01", "2026-12-20"), row("B-02", "2026-12-20")], true)).toEqual({ kind: "unchanged" });
    expect(decideRestockExpectation(expect_(""), [row("A-01")], true)).toEqual({ kind: "unchanged" });
    // A location without it (booked since, or set by hand): it takes the date the store already tells, and nobody is told again.
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01", "2026-12-20"), row("B-02")], true)).toEqual({ kind: "aligned" });
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01", "2026-12-20"), row("B-02", "2026-12-28")], true)).toEqual({ kind: "aligned" });
    // The earliest the readers tell moves: a change.
    expect(decideRestockExpectation(expect_("2026-12-28"), [row("A-01", "2026-12-20"), row("B-02", "2026-12-28")], true)).toEqual({ kind: "changed", previous: "2026-12-20" });
  });

  it("refuses a SKU the store has no location of, and says when it is the store the warehouse does not know", () => {
    const other = [row("A-01", "", 3, "LID")];
    expect(() => decideRestockExpectation(expect_("2026-12-20"), other, true)).toThrow(NotFoundError);
    expect(() => decideRestockExpectation(expect_("2026-12-20"), other, true)).toThrow(expect.objectContaining({ code: "stock.sku-not-stocked" }));
    expect(() => decideRestockExpectation(expect_("2026-12-20"), [], false)).toThrow(expect.objectContaining({ code: "store.unknown" }));
  });
});

describe("what a waiting replacement is short of once the date changed", () => {
  it("names each short SKU with the store's date for it, the latest change included", () => {
    const stock = [row("A-01", "2026-12-20", 1), row("B-02", "2026-12-20", 0), row("A-01", "2026-12-12", 0, "LID")];
    expect(shortLinesNow([{ sku: "KETTLE", quantity: 2 }, { sku: "LID", quantity: 1 }], stock)).toEqual([
      { sku: "KETTLE", requested: 2, available: 1, expectedRestockDate: "2026-12-20" },
      { sku: "LID", requested: 1, available: 0, expectedRestockDate: "2026-12-12" },
    ]);
  });

  it("names none when the stock covers it now", () => {
    expect(shortLinesNow([{ sku: "KETTLE", quantity: 1 }], [row("A-01", "", 1)])).toEqual([]);
  });
});
