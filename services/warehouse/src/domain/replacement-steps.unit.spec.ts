import { describe, expect, it } from "vitest";
import { assertReplacementParcels, awaitedReplacementStep, decideReplacementPack, decideReplacementPick } from "./replacement-steps.ts";
import { decideReplacementShipment, type Replacement } from "./replacements.ts";
import { refusal } from "../testing/refusal.ts";

const at = new Date("2026-12-07T08:00:00Z");
const later = new Date("2026-12-07T09:00:00Z");
const row = (sku: string, location: string, onHand: number, reserved = 0) => ({ sku, location, onHand, reserved, safetyStock: 0, expectedRestockDate: "" });

const reserved: Replacement = {
  caseId: "case-1",
  orderId: "o-1",
  storeId: "store-1",
  lines: [{ sku: "KETTLE", quantity: 2 }],
  reserved: [{ sku: "KETTLE", location: "A-1", quantity: 2 }],
  status: "reserved",
  since: at,
  reservedAt: at,
};
const { reservedAt: _unused, ...unreserved } = reserved;
const awaiting: Replacement = { ...unreserved, reserved: [], status: "awaiting-stock" };
const shipment = { caseId: "case-1", carrier: "SF Express", trackingNumber: "SF1" };

function stepped(r: Replacement, decision: ReturnType<typeof decideReplacementPick>): Replacement {
  if (decision.kind !== "step") throw new Error(`expected a step, got ${decision.kind} for ${r.caseId}`);
  return decision.after;
}

describe("a replacement's clerk steps, in an order's order", () => {
  it("picks, packs with a label, then ships; the awaited step follows", () => {
    expect(awaitedReplacementStep(reserved)).toBe("pick");
    const picked = stepped(reserved, decideReplacementPick(reserved, [], "staff:w-1", later));
    expect(picked.picked).toEqual({ at: later, by: "staff:w-1" });
    expect(awaitedReplacementStep(picked)).toBe("pack");
    const packed = stepped(picked, decideReplacementPack(picked, 2, "staff:w-2", later));
    expect(packed.packed).toMatchObject({ parcels: 2, by: "staff:w-2", label: expect.stringMatching(/^store-1-[0-9A-F]{8}-2$/) });
    expect(awaitedReplacementStep(packed)).toBe("ship");
    expect(decideReplacementShipment(packed, shipment, [], "staff:w-1", later)).toMatchObject({ kind: "ship", leaving: reserved.reserved });
  });

  it("refuses each step out of order with a 409 naming what is missing", () => {
    expect(refusal(() => decideReplacementShipment(reserved, shipment, [], "staff:w-1", later))).toMatchObject({ kind: "illegal-state", code: "replacement.not-packed" });
    expect(refusal(() => decideReplacementPack(reserved, 1, "staff:w-1", later))).toMatchObject({ kind: "illegal-state", code: "replacement.not-picked" });
    const picked = { ...reserved, picked: { at, by: "staff:w-1" } };
    expect(refusal(() => decideReplacementShipment(picked, shipment, [], "staff:w-1", later)).message).toContain("not yet packed");
    expect(refusal(() => decideReplacementShipment(awaiting, shipment, [row("KETTLE", "A-1", 9)], "staff:w-1", later))).toMatchObject({ code: "replacement.not-packed" });
  });

  it("answers each step asked again as recorded, and refuses other parcels on a packed one", () => {
    const picked = { ...reserved, picked: { at, by: "staff:w-1" } };
    expect(decideReplacementPick(picked, [], "staff:w-2", later)).toEqual({ kind: "repeat" });
    const packed = { ...picked, packed: { at, by: "staff:w-1", parcels: 1, label: "store-1-ABCDEF01-1" } };
    expect(decideReplacementPack(packed, 1, "staff:w-2", later)).toEqual({ kind: "repeat" });
    expect(refusal(() => decideReplacementPack(packed, 3, "staff:w-2", later))).toMatchObject({ code: "replacement.already-packed" });
    const shipped = { ...packed, status: "shipped" as const, shipment: { ...shipment, at: later, by: "staff:w-1" } };
    expect(decideReplacementPick(shipped, [], "staff:w-2", later)).toEqual({ kind: "repeat" });
    expect(decideReplacementPack(shipped, 1, "staff:w-2", later)).toEqual({ kind: "repeat" });
    expect(awaitedReplacementStep(shipped)).toBeUndefined();
  });

  it("answers a retry of a step done before the call-off as recorded; refuses a first attempt after it", () => {
    const callOff = { status: "called-off" as const, calledOff: { at: later, by: "staff:cs-1", reason: "refund instead" } };
    const pickedThenCalledOff: Replacement = { ...reserved, picked: { at, by: "staff:w-1" }, ...callOff };
    expect(decideReplacementPick(pickedThenCalledOff, [], "staff:w-1", later)).toEqual({ kind: "repeat" });
    expect(refusal(() => decideReplacementPack(pickedThenCalledOff, 1, "staff:w-1", later))).toMatchObject({ code: "replacement.called-off" });

    const packedThenCalledOff: Replacement = { ...pickedThenCalledOff, packed: { at, by: "staff:w-1", parcels: 2, label: "L-1" } };
    expect(decideReplacementPick(packedThenCalledOff, [], "staff:w-1", later)).toEqual({ kind: "repeat" });
    expect(decideReplacementPack(packedThenCalledOff, 2, "staff:w-1", later)).toEqual({ kind: "repeat" });
    // Other parcels are not the pack on record: a new pack, which a called-off replacement gets none of.
    expect(refusal(() => decideReplacementPack(packedThenCalledOff, 3, "staff:w-1", later))).toMatchObject({ code: "replacement.called-off" });

    const neverPicked: Replacement = { ...reserved, ...callOff };
    expect(refusal(() => decideReplacementPick(neverPicked, [], "staff:w-1", later))).toMatchObject({ code: "replacement.called-off" });
    expect(refusal(() => decideReplacementPick({ ...awaiting, ...callOff }, [row("KETTLE", "A-1", 5)], "staff:w-1", later))).toMatchObject({ code: "replacement.called-off" });
  });

  it("reserves a replacement awaiting stock at its pick when the stock is there, or refuses naming each SKU short", () => {
    const decision = decideReplacementPick(awaiting, [row("KETTLE", "A-1", 1), row("KETTLE", "B-1", 1)], "staff:w-1", later);
    expect(decision).toMatchObject({ kind: "step", after: { status: "reserved", reservedAt: later, picked: { at: later } }, reserveNow: [{ sku: "KETTLE", quantity: 1 }, { sku: "KETTLE", quantity: 1 }] });
    const short = refusal(() => decideReplacementPick(awaiting, [row("KETTLE", "A-1", 2, 1)], "staff:w-1", later));
    expect(short).toMatchObject({ code: "replacement.out-of-stock" });
    expect(short.message).toContain("KETTLE (2 needed, 1 available)");
  });

  it("lets one opened before the steps ship in one go, its node watching the shipment", () => {
    const old = { ...reserved, predatesSteps: true };
    expect(awaitedReplacementStep(old)).toBe("ship");
    expect(decideReplacementShipment(old, shipment, [], "staff:w-1", later)).toMatchObject({ kind: "ship" });
    expect(decideReplacementShipment({ ...awaiting, predatesSteps: true }, shipment, [row("KETTLE", "A-1", 2)], "staff:w-1", later)).toMatchObject({ kind: "ship" });
  });

  it("needs whole parcels, at least one", () => {
    expect(assertReplacementParcels(2)).toBe(2);
    expect(refusal(() => assertReplacementParcels(0))).toMatchObject({ kind: "validation", code: "replacement.invalid-packing" });
  });
});
