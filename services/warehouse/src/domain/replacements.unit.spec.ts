import { describe, expect, it } from "vitest";
import type { AcceptedCase } from "./returns.ts";
import {
  assertReplacementCallOff,
  assertReplacementShipment,
  decideReplacementCallOff,
  decideReplacementShipment,
  openReplacements,
  replacementLinesOf,
  type Replacement,
} from "./replacements.ts";
import { refusal } from "../testing/refusal.ts";

const at = new Date("2026-12-07T08:00:00Z");
const later = new Date("2026-12-07T09:00:00Z");

function accepted(caseId: string, kind: string, lines: { sku: string; quantity: number }[], storeId = "store-1"): AcceptedCase {
  return { caseId, orderId: `o-${caseId}`, storeId, kind, lines, acceptedAt: at };
}

const row = (sku: string, location: string, onHand: number, reserved = 0, storeId = "store-1") => ({ storeId, sku, location, onHand, reserved, safetyStock: 0, expectedRestockDate: "" });

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
const awaiting: Replacement = { ...reserved, reserved: [], status: "awaiting-stock", reservedAt: undefined };
const shipment = { caseId: "case-1", carrier: "SF Express", trackingNumber: "SF1" };

describe("an exchange's replacement opened by its acceptance", () => {
  it("is an exchange's goods, each SKU once with its quantities summed; other kinds send nothing", () => {
    expect(replacementLinesOf({ kind: "exchange", lines: [{ sku: "KETTLE", quantity: 1 }, { sku: "LID", quantity: 0 }, { sku: "KETTLE", quantity: 2 }] })).toEqual([{ sku: "KETTLE", quantity: 3 }]);
    expect(replacementLinesOf({ kind: "return", lines: [{ sku: "KETTLE", quantity: 1 }] })).toEqual([]);
    expect(replacementLinesOf({ kind: "repair", lines: [{ sku: "KETTLE", quantity: 1 }] })).toEqual([]);
  });

  it("reserves what the store can promise, one after the other: the next exchange of the last units waits for stock, naming the SKU short", () => {
    const opened = openReplacements(
      [accepted("case-1", "exchange", [{ sku: "KETTLE", quantity: 2 }]), accepted("case-2", "exchange", [{ sku: "KETTLE", quantity: 1 }]), accepted("case-3", "return", [{ sku: "KETTLE", quantity: 1 }])],
      new Set(),
      [row("KETTLE", "A-1", 1), row("KETTLE", "B-1", 2, 0)],
    );
    expect(opened).toHaveLength(2);
    expect(opened[0]).toEqual({
      replacement: { caseId: "case-1", orderId: "o-case-1", storeId: "store-1", lines: [{ sku: "KETTLE", quantity: 2 }], reserved: [{ sku: "KETTLE", location: "B-1", quantity: 2 }], status: "reserved", since: at, reservedAt: at },
      short: [],
    });
    expect(opened[1]!.replacement).toMatchObject({ caseId: "case-2", status: "reserved", reserved: [{ sku: "KETTLE", location: "A-1", quantity: 1 }] });
    const third = openReplacements([accepted("case-4", "exchange", [{ sku: "KETTLE", quantity: 1 }])], new Set(), [row("KETTLE", "A-1", 1, 1)]);
    expect(third).toEqual([{ replacement: expect.objectContaining({ status: "awaiting-stock", reserved: [] }), short: [{ sku: "KETTLE", requested: 1, available: 0, expectedRestockDate: "" }] }]);
  });

  it("opens none for a case that has one already, or twice for an acceptance heard twice in one batch, nor from another store's stock", () => {
    const twice = [accepted("case-1", "exchange", [{ sku: "KETTLE", quantity: 1 }]), accepted("case-1", "exchange", [{ sku: "KETTLE", quantity: 1 }])];
    expect(openReplacements(twice, new Set(), [row("KETTLE", "A-1", 5)])).toHaveLength(1);
    expect(openReplacements(twice, new Set(["case-1"]), [row("KETTLE", "A-1", 5)])).toEqual([]);
    const elsewhere = openReplacements([accepted("case-2", "exchange", [{ sku: "KETTLE", quantity: 1 }])], new Set(), [row("KETTLE", "A-1", 5, 0, "store-2")]);
    expect(elsewhere[0]!.replacement.status).toBe("awaiting-stock");
  });
});

describe("shipping a replacement", () => {
  it("checks the carrier and tracking number as an order's shipment does, trimmed", () => {
    expect(assertReplacementShipment({ caseId: " case-1 ", carrier: " SF Express ", trackingNumber: " SF1 " })).toEqual(shipment);
    expect(refusal(() => assertReplacementShipment({ caseId: "", carrier: " ", trackingNumber: "" }))).toMatchObject({
      kind: "validation",
      fields: [
        { field: "caseId", message: "is required" },
        { field: "carrier", message: "is required" },
        { field: "trackingNumber", message: "is required" },
      ],
    });
  });

  it("sends reserved units on their way, with who and when (once packed: replacement-steps.unit.spec.ts)", () => {
    const packed = { ...reserved, picked: { at, by: "staff:w-1" }, packed: { at, by: "staff:w-1", parcels: 1, label: "L" } };
    const decision = decideReplacementShipment(packed, shipment, [], "staff:w-1", later);
    expect(decision).toEqual({
      kind: "ship",
      after: { ...packed, status: "shipped", shipment: { carrier: "SF Express", trackingNumber: "SF1", at: later, by: "staff:w-1" } },
      reserveNow: [],
      leaving: reserved.reserved,
    });
  });

  it("reserves one awaiting stock opened before the steps and ships it at once when the stock is there, or refuses naming each SKU short", () => {
    const awaitingOld = { ...awaiting, predatesSteps: true };
    const decision = decideReplacementShipment(awaitingOld, shipment, [row("KETTLE", "A-1", 1), row("KETTLE", "B-1", 1)], "staff:w-1", later);
    expect(decision).toMatchObject({ kind: "ship", after: { status: "shipped", reservedAt: later }, reserveNow: [{ sku: "KETTLE", location: "A-1", quantity: 1 }, { sku: "KETTLE", location: "B-1", quantity: 1 }] });
    const short = refusal(() => decideReplacementShipment(awaitingOld, shipment, [row("KETTLE", "A-1", 2, 1)], "staff:w-1", later));
    expect(short).toMatchObject({ kind: "illegal-state", code: "replacement.out-of-stock" });
    expect(short.message).toContain("KETTLE (2 needed, 1 available)");
  });

  it("answers a retry with the same parcel as it stands, and refuses another parcel for a shipped one or any for a called-off one", () => {
    const shipped = { ...reserved, status: "shipped" as const, shipment: { carrier: "SF Express", trackingNumber: "SF1", at: later, by: "staff:w-1" } };
    expect(decideReplacementShipment(shipped, shipment, [], "staff:w-2", later)).toEqual({ kind: "repeat" });
    expect(refusal(() => decideReplacementShipment(shipped, { ...shipment, trackingNumber: "SF2" }, [], "staff:w-1", later))).toMatchObject({ code: "replacement.already-shipped" });
    const calledOff = { ...reserved, status: "called-off" as const, calledOff: { at, by: "staff:cs-1", reason: "refund instead" } };
    expect(refusal(() => decideReplacementShipment(calledOff, shipment, [row("KETTLE", "A-1", 9)], "staff:w-1", later))).toMatchObject({ code: "replacement.called-off" });
  });
});

describe("calling a replacement off", () => {
  it("needs a reason of at most 500 characters", () => {
    expect(assertReplacementCallOff({ caseId: "case-1", reason: "  refund instead " })).toEqual({ caseId: "case-1", reason: "refund instead" });
    expect(refusal(() => assertReplacementCallOff({ caseId: "case-1", reason: " " }))).toMatchObject({ fields: [{ field: "reason" }] });
    expect(refusal(() => assertReplacementCallOff({ caseId: "case-1", reason: "x".repeat(501) }))).toMatchObject({ fields: [{ field: "reason", message: expect.stringContaining("500") }] });
  });

  it("releases what was reserved (nothing while awaiting stock), once: again it answers as it stands; a shipped one is refused", () => {
    expect(decideReplacementCallOff(reserved, { caseId: "case-1", reason: "refund instead" }, "staff:cs-1", later)).toEqual({
      kind: "call-off",
      after: { ...reserved, status: "called-off", calledOff: { at: later, by: "staff:cs-1", reason: "refund instead" } },
      release: reserved.reserved,
    });
    expect(decideReplacementCallOff(awaiting, { caseId: "case-1", reason: "refund instead" }, "staff:cs-1", later)).toMatchObject({ kind: "call-off", release: [] });
    const calledOff = { ...reserved, status: "called-off" as const, calledOff: { at, by: "staff:cs-1", reason: "first" } };
    expect(decideReplacementCallOff(calledOff, { caseId: "case-1", reason: "second" }, "staff:cs-2", later)).toEqual({ kind: "repeat" });
    const shipped = { ...reserved, status: "shipped" as const, shipment: { carrier: "SF Express", trackingNumber: "SF1", at: later, by: "staff:w-1" } };
    expect(refusal(() => decideReplacementCallOff(shipped, { caseId: "case-1", reason: "too late" }, "staff:cs-1", later))).toMatchObject({ kind: "illegal-state", code: "replacement.already-shipped" });
  });
});
