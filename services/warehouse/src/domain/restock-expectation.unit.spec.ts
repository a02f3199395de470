import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@oms/errors";
import {
  assertClearable,
  assertRecordable,
  decideRestockExpectation,
  isIsoCalendarDate,
  shortLinesNow,
  utcDateOf,
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

  it("takes today's date from the clock in UTC, whatever the server's zone", () => {
    expect(utcDateOf(new Date("2026-12-07T23:30:00-05:00"))).toBe("2026-12-08");
  });

  it("may be today or later, never before today", () => {
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-07"), "2026-12-07"))).toEqual([]);
    expect(fieldsOf(() => assertRecordable(expect_("2027-01-02"), "2026-12-07"))).toEqual([]);
    expect(fieldsOf(() => assertRecordable(expect_("2026-12-06"), "2026-12-07"))).toEqual(["date: 2026-12-06 is before today (2026-12-07, UTC): the delivery can no longer be expected then"]);
  });

  it("refuses a malformed date and a missing store or SKU, naming each field, with the code of a bad date", () => {
    expect(fieldsOf(() => assertRecordable(expect_("2026-02-30", { storeId: "", sku: " " }), "2026-01-01"))).toEqual([
      "storeId: is required",
      "sku: is required",
      'date: must be a calendar date written YYYY-MM-DD, got "2026-02-30"',
    ]);
    expect(() => assertRecordable(expect_("soon"), "2026-01-01")).toThrow(expect.objectContaining({ code: "stock.invalid-restock-date" }));
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
    // One location set by hand to another day: the others follow.
    expect(decideRestockExpectation(expect_("2026-12-20"), [row("A-01", "2026-12-20"), row("B-02")], true)).toEqual({ kind: "changed", previous: "2026-12-20" });
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
