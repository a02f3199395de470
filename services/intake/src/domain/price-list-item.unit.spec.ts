import { describe, expect, it } from "vitest";
import { assertValidPriceListItem, itemPublicationChanges, priceListItemProblems } from "./price-list-item.ts";
import type { PriceListItem } from "./store-catalogue.ts";

const item: PriceListItem = { sku: "LAMP-DESK", description: "Desk lamp, LED", kind: "goods", unitPriceMinor: 15_900, handling: ["fragile"], skills: [] };
const problemsOf = (overrides: Partial<PriceListItem>) => priceListItemProblems({ ...item, ...overrides }).list();

describe("a price-list item, validated whole (ADR 028)", () => {
  it("takes an item of goods and a service with its skills", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ sku: "SVC-WINDOWS", kind: "service", handling: [], skills: ["cleaning"] })).toEqual([]);
  });

  it("names every wrong field at once", () => {
    expect(problemsOf({ sku: "-bad sku", description: "", kind: "rental" as never, unitPriceMinor: 0, handling: ["Fragile!"], skills: [] }).map((p) => p.field)).toEqual([
      "sku",
      "description",
      "kind",
      "unitPriceMinor",
      "handling[0]",
    ]);
    expect(problemsOf({ unitPriceMinor: 12.5 })).toEqual([{ field: "unitPriceMinor", message: "must be a positive whole amount in minor units" }]);
    expect(problemsOf({ handling: ["fragile", "fragile"] })).toEqual([{ field: "handling[1]", message: "fragile is named twice" }]);
    expect(problemsOf({ skills: ["cleaning"] })).toEqual([{ field: "skills", message: "goods need no skills; only a service names the skills it needs" }]);
    expect(() => assertValidPriceListItem({ ...item, unitPriceMinor: -1 })).toThrow(expect.objectContaining({ code: "price-list-item.invalid" }));
  });
});

describe("whether publishing an item changes anything", () => {
  it("does for a new item, a new price or description, and for a withdrawn item put back on sale", () => {
    expect(itemPublicationChanges(undefined, item)).toBe(true);
    expect(itemPublicationChanges(item, { ...item, unitPriceMinor: 16_900 })).toBe(true);
    expect(itemPublicationChanges(item, { ...item, description: "Desk lamp" })).toBe(true);
    expect(itemPublicationChanges({ ...item, withdrawn: { reason: "recalled" } }, item)).toBe(true);
  });

  it("does not for the same item re-sent, its tags in another order", () => {
    const tagged = { ...item, handling: ["fragile", "bulky"] };
    expect(itemPublicationChanges(tagged, { ...tagged, handling: ["bulky", "fragile"] })).toBe(false);
  });
});
