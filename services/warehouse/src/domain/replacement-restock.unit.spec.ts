import { describe, expect, it } from "vitest";
import { reserveAwaitingReplacements } from "./replacement-restock.ts";
import type { Replacement } from "./replacements.ts";

const accepted = (minute: number) => new Date(Date.UTC(2026, 11, 7, 8, minute));
const now = new Date("2026-12-07T10:00:00Z");
const row = (sku: string, location: string, onHand: number, reserved = 0, safetyStock = 0) => ({ sku, location, onHand, reserved, safetyStock, expectedRestockDate: "" });

function waiting(caseId: string, minute: number, lines: { sku: string; quantity: number }[]): Replacement {
  return { caseId, orderId: `o-${caseId}`, storeId: "store-1", lines, reserved: [], status: "awaiting-stock", since: accepted(minute) };
}

describe("replacements awaiting stock when stock rises", () => {
  it("reserves the oldest acceptance first, whatever order they come in: one unit for two waiting goes to the older", () => {
    const younger = waiting("case-b", 5, [{ sku: "KETTLE", quantity: 1 }]);
    const older = waiting("case-a", 1, [{ sku: "KETTLE", quantity: 1 }]);
    expect(reserveAwaitingReplacements([younger, older], [row("KETTLE", "A-1", 1)], now)).toEqual([
      { ...older, status: "reserved", reserved: [{ sku: "KETTLE", location: "A-1", quantity: 1 }], reservedAt: now },
    ]);
  });

  it("reserves each all or nothing: a partial receipt reserves nothing for a replacement it cannot cover whole, on any of its SKUs", () => {
    const pair = waiting("case-a", 1, [{ sku: "KETTLE", quantity: 2 }, { sku: "LID", quantity: 1 }]);
    expect(reserveAwaitingReplacements([pair], [row("KETTLE", "A-1", 1), row("LID", "A-1", 1)], now)).toEqual([]);
    expect(reserveAwaitingReplacements([pair], [row("KETTLE", "A-1", 2), row("LID", "A-1", 0)], now)).toEqual([]);
    // The safety stock is never promised, to a replacement no more than to an order.
    expect(reserveAwaitingReplacements([pair], [row("KETTLE", "A-1", 3, 0, 2), row("LID", "A-1", 1)], now)).toEqual([]);
    expect(reserveAwaitingReplacements([pair], [row("KETTLE", "A-1", 1), row("KETTLE", "B-2", 1), row("LID", "A-1", 1)], now)).toEqual([
      { ...pair, status: "reserved", reservedAt: now, reserved: [{ sku: "KETTLE", location: "A-1", quantity: 1 }, { sku: "KETTLE", location: "B-2", quantity: 1 }, { sku: "LID", location: "A-1", quantity: 1 }] },
    ]);
  });

  it("lets a younger one the stock covers go ahead of an older one it cannot, and takes what one reserves off the next", () => {
    const big = waiting("case-a", 1, [{ sku: "KETTLE", quantity: 3 }]);
    const small = waiting("case-b", 2, [{ sku: "KETTLE", quantity: 1 }]);
    const another = waiting("case-c", 3, [{ sku: "KETTLE", quantity: 1 }]);
    const reserved = reserveAwaitingReplacements([another, small, big], [row("KETTLE", "A-1", 4, 2)], now);
    expect(reserved.map((r) => r.caseId)).toEqual(["case-b", "case-c"]);
    // Two free: the older big one still waits; the later two take one each, and nothing is promised twice.
    expect(reserveAwaitingReplacements([big, small, another], [row("KETTLE", "A-1", 3, 2)], now).map((r) => r.caseId)).toEqual(["case-b"]);
  });

  it("leaves replacements that no longer wait (reserved, shipped, called off meanwhile) as they are, and breaks a tie of acceptance by the case id", () => {
    const reserved: Replacement = { ...waiting("case-a", 1, [{ sku: "KETTLE", quantity: 1 }]), status: "reserved", reserved: [{ sku: "KETTLE", location: "A-1", quantity: 1 }], reservedAt: accepted(1) };
    const calledOff: Replacement = { ...waiting("case-b", 1, [{ sku: "KETTLE", quantity: 1 }]), status: "called-off", calledOff: { at: now, by: "staff:cs-1", reason: "refund" } };
    const twinB = waiting("case-d", 2, [{ sku: "KETTLE", quantity: 1 }]);
    const twinA = waiting("case-c", 2, [{ sku: "KETTLE", quantity: 1 }]);
    expect(reserveAwaitingReplacements([reserved, calledOff, twinB, twinA], [row("KETTLE", "A-1", 5, 4)], now).map((r) => r.caseId)).toEqual(["case-c"]);
  });
});
