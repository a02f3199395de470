import { describe, expect, it } from "vitest";
import { assertReplacementMove, decideReplacementMove } from "./replacement-move.ts";
import type { Replacement } from "./replacements.ts";
import { refusal } from "../testing/refusal.ts";

const at = new Date("2026-12-07T08:00:00Z");
const later = new Date("2026-12-07T09:00:00Z");
const desk = "staff:cs-1";

const row = (sku: string, location: string, onHand: number, reserved = 0, safetyStock = 0) => ({ sku, location, onHand, reserved, safetyStock, expectedRestockDate: "" });

const awaiting: Replacement = {
  caseId: "case-1",
  orderId: "o-1",
  storeId: "store-a",
  lines: [
    { sku: "KETTLE", quantity: 2 },
    { sku: "LID", quantity: 1 },
  ],
  reserved: [],
  status: "awaiting-stock",
  since: at,
};
const move = { caseId: "case-1", toStoreId: "store-b", reason: "store B has them on the shelf" };
const stocked = { known: true, acceptingOrders: true, stock: [row("KETTLE", "B-1", 1), row("KETTLE", "B-2", 3), row("LID", "B-1", 1)] };

describe("the desk's move of a replacement to another store", () => {
  it("names every missing or wrong field, trimmed when right", () => {
    const wrong = refusal(() => assertReplacementMove({ caseId: " ", toStoreId: "", reason: "" }));
    expect(wrong).toMatchObject({ kind: "validation", code: "replacement.invalid-move" });
    expect((wrong as unknown as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(["caseId", "toStoreId", "reason"]);
    const long = refusal(() => assertReplacementMove({ ...move, reason: "x".repeat(501) }));
    expect((long as unknown as { fields: { field: string }[] }).fields).toEqual([{ field: "reason", message: "must be at most 500 characters" }]);
    expect(assertReplacementMove({ caseId: " case-1 ", toStoreId: " store-b ", reason: " why " })).toEqual({ caseId: "case-1", toStoreId: "store-b", reason: "why" });
  });

  it("reserves every line at the new store, fullest location first, and the replacement becomes that store's, reserved, remembering where it waited", () => {
    const decision = decideReplacementMove(awaiting, move, stocked, desk, later);
    expect(decision).toEqual({
      kind: "move",
      reserve: [
        { sku: "KETTLE", location: "B-2", quantity: 2 },
        { sku: "LID", location: "B-1", quantity: 1 },
      ],
      after: {
        ...awaiting,
        storeId: "store-b",
        status: "reserved",
        reserved: [
          { sku: "KETTLE", location: "B-2", quantity: 2 },
          { sku: "LID", location: "B-1", quantity: 1 },
        ],
        reservedAt: later,
        moved: { fromStoreId: "store-a", at: later, by: desk, reason: move.reason },
      },
    });
  });

  it("refuses a store that cannot reserve every line now, naming each short SKU, never touching the safety stock", () => {
    const short = { known: true, acceptingOrders: true, stock: [row("KETTLE", "B-1", 3, 0, 2), row("LID", "B-1", 1, 1)] };
    const error = refusal(() => decideReplacementMove(awaiting, move, short, desk, later));
    expect(error).toMatchObject({ kind: "illegal-state", code: "replacement.out-of-stock" });
    expect(error.message).toContain("KETTLE (2 needed, 1 available)");
    expect(error.message).toContain("LID (1 needed, 0 available)");
    expect(error.message).toContain("store-b");
  });

  it("refuses a store that stocks none of the SKUs as out of stock, and a store the warehouse does not know as not found", () => {
    expect(refusal(() => decideReplacementMove(awaiting, move, { known: true, acceptingOrders: true, stock: [] }, desk, later))).toMatchObject({ code: "replacement.out-of-stock" });
    expect(refusal(() => decideReplacementMove(awaiting, move, { known: false, acceptingOrders: true, stock: [] }, desk, later))).toMatchObject({ kind: "not-found", code: "store.unknown" });
  });

  it("refuses a store not taking orders, naming it, even when it has every line, before weighing its stock", () => {
    const closed = { ...stocked, acceptingOrders: false };
    const error = refusal(() => decideReplacementMove(awaiting, move, closed, desk, later));
    expect(error).toMatchObject({ kind: "illegal-state", code: "store.not-accepting-orders" });
    expect(error.message).toContain("store-b");
    expect(refusal(() => decideReplacementMove(awaiting, move, { known: true, acceptingOrders: false, stock: [] }, desk, later))).toMatchObject({ code: "store.not-accepting-orders" });
  });

  it("refuses the store it waits at already", () => {
    expect(refusal(() => decideReplacementMove(awaiting, { ...move, toStoreId: "store-a" }, stocked, desk, later))).toMatchObject({ kind: "illegal-state", code: "replacement.same-store" });
  });

  it("moves only a replacement awaiting stock: reserved, shipped or called off, it is refused", () => {
    const reserved: Replacement = { ...awaiting, status: "reserved", reserved: [{ sku: "KETTLE", location: "A-1", quantity: 2 }], reservedAt: at };
    const shipped: Replacement = { ...reserved, status: "shipped", shipment: { carrier: "SF", trackingNumber: "SF1", at, by: "staff:clerk" } };
    const calledOff: Replacement = { ...awaiting, status: "called-off", calledOff: { at, by: desk, reason: "refund" } };
    expect(refusal(() => decideReplacementMove(reserved, move, stocked, desk, later))).toMatchObject({ kind: "illegal-state", code: "replacement.not-awaiting-stock" });
    expect(refusal(() => decideReplacementMove(shipped, move, stocked, desk, later))).toMatchObject({ code: "replacement.already-shipped" });
    expect(refusal(() => decideReplacementMove(calledOff, move, stocked, desk, later))).toMatchObject({ code: "replacement.called-off" });
  });

  it("answers the same caller's move to the same store again as it stands, even once shipped from there; another caller or store is refused", () => {
    const first = decideReplacementMove(awaiting, move, stocked, desk, later);
    if (first.kind !== "move") throw new Error("expected a move");
    expect(decideReplacementMove(first.after, move, { known: true, acceptingOrders: true, stock: [] }, desk, later)).toEqual({ kind: "repeat" });
    const shipped: Replacement = { ...first.after, status: "shipped", shipment: { carrier: "SF", trackingNumber: "SF1", at: later, by: "staff:clerk-b" } };
    expect(decideReplacementMove(shipped, { ...move, reason: "asked again" }, stocked, desk, later)).toEqual({ kind: "repeat" });
    expect(refusal(() => decideReplacementMove(first.after, move, stocked, "staff:cs-2", later))).toMatchObject({ code: "replacement.not-awaiting-stock" });
    expect(refusal(() => decideReplacementMove(first.after, { ...move, toStoreId: "store-c" }, stocked, desk, later))).toMatchObject({ code: "replacement.not-awaiting-stock" });
  });
});
