import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import type { StockAtLocation } from "./stock.ts";
import { assertReceivable, decideCount, type StockCount } from "./stock-count.ts";

const books = (onHand: number, reserved = 0): StockAtLocation => ({ sku: "KETTLE", location: "A-01", onHand, reserved, safetyStock: 1, expectedRestockDate: "" });
const count = (counted: number, overrides: Partial<StockCount> = {}): StockCount => ({
  storeId: "store-1",
  sku: "KETTLE",
  location: "A-01",
  counted,
  reason: "periodic count",
  ...overrides,
});

describe("stock count", () => {
  it("sets the books to what was counted, as a signed difference", () => {
    expect(decideCount(count(7), books(10, 3))).toEqual({ counted: 7, difference: -3 });
    expect(decideCount(count(12), books(10))).toEqual({ counted: 12, difference: 2 });
    expect(decideCount(count(10), books(10))).toEqual({ counted: 10, difference: 0 });
  });

  it("counts a location with no stock on record as empty", () => {
    expect(decideCount(count(4), undefined)).toEqual({ counted: 4, difference: 4 });
  });

  it("refuses a count below what is reserved, naming the reserved quantity, so the exception is raised and not resolved by the clerk", () => {
    expect(() => decideCount(count(2), books(10, 3))).toThrow(IllegalStateError);
    expect(() => decideCount(count(2), books(10, 3))).toThrow(/counted 2 of KETTLE at A-01, but 3 are reserved/);
    expect(decideCount(count(3), books(10, 3))).toEqual({ counted: 3, difference: -7 });
  });

  it("refuses a count without a reason, a place or a whole number >= 0, naming each field", () => {
    try {
      decideCount(count(-1, { sku: "", location: " ", reason: "" }), books(1));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["sku", "location", "counted", "reason"]);
    }
    expect(() => decideCount(count(1.5), books(1))).toThrow(ValidationError);
  });

  it("receives only whole positive quantities at a named place", () => {
    expect(() => assertReceivable({ storeId: "store-1", receiptId: "DN-1", sku: "KETTLE", location: "A-01", quantity: 3 })).not.toThrow();
    try {
      assertReceivable({ storeId: "", receiptId: " ", sku: "KETTLE", location: "A-01", quantity: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["storeId", "receiptId", "quantity"]);
    }
  });
});
