import { describe, expect, it } from "vitest";
import { allocate } from "./allocation.ts";
import { availableAt, type StockAtLocation } from "./stock.ts";

const at = (sku: string, location: string, onHand: number, overrides: Partial<StockAtLocation> = {}): StockAtLocation => ({
  sku,
  location,
  onHand,
  reserved: 0,
  safetyStock: 0,
  expectedRestockDate: "",
  ...overrides,
});

describe("allocate", () => {
  it("covers every line from the fullest location", () => {
    const decision = allocate([{ sku: "KETTLE", quantity: 3 }, { sku: "VASE", quantity: 1 }], [
      at("KETTLE", "A-01", 4),
      at("KETTLE", "A-02", 10),
      at("VASE", "C-01", 1),
    ]);
    expect(decision).toEqual({
      kind: "allocated",
      lines: [
        { sku: "KETTLE", location: "A-02", quantity: 3 },
        { sku: "VASE", location: "C-01", quantity: 1 },
      ],
    });
  });

  it("splits a line over locations when no single one holds enough", () => {
    const decision = allocate([{ sku: "TOWEL", quantity: 7 }], [at("TOWEL", "B-02", 4), at("TOWEL", "B-01", 4)]);
    expect(decision).toEqual({
      kind: "allocated",
      lines: [
        { sku: "TOWEL", location: "B-01", quantity: 4 },
        { sku: "TOWEL", location: "B-02", quantity: 3 },
      ],
    });
  });

  it("never promises reserved units or safety stock", () => {
    const stock = [at("KETTLE", "A-01", 10, { reserved: 6, safetyStock: 2 })];
    expect(allocate([{ sku: "KETTLE", quantity: 2 }], stock).kind).toBe("allocated");
    expect(allocate([{ sku: "KETTLE", quantity: 3 }], stock)).toEqual({
      kind: "short",
      lines: [{ sku: "KETTLE", requested: 3, available: 2, expectedRestockDate: "" }],
    });
  });

  it("adds up lines of the same SKU before deciding", () => {
    const decision = allocate([{ sku: "VASE", quantity: 2 }, { sku: "VASE", quantity: 2 }], [at("VASE", "C-01", 3)]);
    expect(decision).toEqual({ kind: "short", lines: [{ sku: "VASE", requested: 4, available: 3, expectedRestockDate: "" }] });
  });

  it("reports only the short lines, with the earliest restock date, and takes nothing", () => {
    const decision = allocate([{ sku: "KETTLE", quantity: 1 }, { sku: "VASE", quantity: 5 }, { sku: "GHOST", quantity: 1 }], [
      at("KETTLE", "A-01", 10),
      at("VASE", "C-01", 1, { expectedRestockDate: "2030-05-02" }),
      at("VASE", "C-02", 1, { expectedRestockDate: "2030-04-20" }),
      at("VASE", "C-03", 0),
    ]);
    expect(decision).toEqual({
      kind: "short",
      lines: [
        { sku: "VASE", requested: 5, available: 2, expectedRestockDate: "2030-04-20" },
        { sku: "GHOST", requested: 1, available: 0, expectedRestockDate: "" },
      ],
    });
  });

  it("counts a location that a stock count left below its reservations as empty, not negative", () => {
    const stock = [at("VASE", "C-01", 1, { reserved: 3 }), at("VASE", "C-02", 2)];
    expect(availableAt(stock[0]!)).toBe(0);
    expect(allocate([{ sku: "VASE", quantity: 2 }], stock)).toEqual({ kind: "allocated", lines: [{ sku: "VASE", location: "C-02", quantity: 2 }] });
  });

  it("never allocates more than is available, whatever the stock (random cases)", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 500; run++) {
      const skus = ["A", "B", "C"];
      const stock = skus.flatMap((sku) =>
        Array.from({ length: random(3) }, (_, i) => at(sku, `L${i}`, random(8), { reserved: random(4), safetyStock: random(2) })),
      );
      const requested = Array.from({ length: 1 + random(4) }, () => ({ sku: skus[random(3)]!, quantity: 1 + random(6) }));
      const decision = allocate(requested, stock);
      if (decision.kind === "short") continue;
      for (const s of stock) {
        const taken = decision.lines.filter((l) => l.sku === s.sku && l.location === s.location).reduce((sum, l) => sum + l.quantity, 0);
        expect(taken).toBeLessThanOrEqual(availableAt(s));
      }
      for (const sku of skus) {
        const asked = requested.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);
        expect(decision.lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0)).toBe(asked);
      }
    }
  });
});
