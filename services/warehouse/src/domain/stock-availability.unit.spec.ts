import { describe, expect, it } from "vitest";
import { availabilityPerStore } from "./stock-availability.ts";

const row = (storeId: string, location: string, onHand: number, reserved: number, safetyStock: number, expectedRestockDate = "") => ({
  storeId,
  sku: "KETTLE",
  location,
  onHand,
  reserved,
  safetyStock,
  expectedRestockDate,
});

describe("which stores have a SKU", () => {
  it("counts per store what a reservation could take: each location's on hand less reserved and safety stock, none below zero", () => {
    const stores = availabilityPerStore([
      row("store-a", "A-1", 3, 0, 2),
      // Over-reserved after a count: counts 0, does not eat the other location's units.
      row("store-a", "A-2", 1, 2, 0),
      row("store-b", "B-1", 5, 1, 1),
      row("store-b", "B-2", 2, 0, 0, "2030-01-20"),
      row("store-c", "C-1", 0, 0, 0, "2030-01-15"),
      row("store-c", "C-2", 0, 0, 0, "2030-01-09"),
    ]);
    expect(stores).toEqual([
      { storeId: "store-b", available: 5, onHand: 7, reserved: 1, safetyStock: 1, expectedRestockDate: "2030-01-20" },
      { storeId: "store-a", available: 1, onHand: 4, reserved: 2, safetyStock: 2, expectedRestockDate: "" },
      { storeId: "store-c", available: 0, onHand: 0, reserved: 0, safetyStock: 0, expectedRestockDate: "2030-01-09" },
    ]);
  });

  it("orders stores with as much by their id, and knows none when no store stocks it", () => {
    expect(availabilityPerStore([row("store-z", "Z", 1, 0, 0), row("store-m", "M", 1, 0, 0)]).map((s) => s.storeId)).toEqual(["store-m", "store-z"]);
    expect(availabilityPerStore([])).toEqual([]);
  });
});
