import { describe, expect, it } from "vitest";
import { decideReplacementOverdue, replacementShipByOf, replacementStepDueAt, replacementsToTime, type ReplacementDeadline } from "./replacement-deadline.ts";
import type { Replacement } from "./replacements.ts";
import { defaultStepDeadlineSettings } from "./step-deadlines.ts";

const at = new Date("2026-12-07T10:00:00Z");
const now = new Date("2026-12-07T14:00:00Z");
const node: ReplacementDeadline = { caseId: "case-1", step: "ship", orderId: "o-1", storeId: "store-a", correlationId: "c", dueAt: new Date("2026-12-07T13:30:00Z"), level: 0 };
const reserved = { status: "reserved" as const, storeId: "store-a", predatesSteps: true };
const timer = (level: number, storeId = "store-a", step: "pick" | "pack" | "ship" = "ship") => ({ level, storeId, step });

describe("a replacement's ship-by deadline", () => {
  it("is its reservation plus an order's whole way out (pick, pack and ship): it has no steps of its own", () => {
    // 60 + 30 + 120 minutes by default.
    expect(replacementShipByOf(at, defaultStepDeadlineSettings)).toEqual(new Date("2026-12-07T13:30:00Z"));
    expect(replacementShipByOf(at, { pickMs: 1_000, packMs: 2_000, shipMs: 3_000 })).toEqual(new Date(at.getTime() + 6_000));
  });

  it("starts only for a replacement left reserved: one awaiting stock has nothing to ship yet, one reserved and shipped at once is gone", () => {
    const base: Replacement = { caseId: "c", orderId: "o", storeId: "s", lines: [{ sku: "K", quantity: 1 }], reserved: [], status: "awaiting-stock", since: at };
    const held: Replacement = { ...base, caseId: "held", status: "reserved", reserved: [{ sku: "K", location: "A", quantity: 1 }], reservedAt: at };
    const gone: Replacement = { ...held, caseId: "gone", status: "shipped", shipment: { carrier: "SF", trackingNumber: "1", at, by: "staff:c" } };
    expect(replacementsToTime([base, held, gone]).map((r) => r.caseId)).toEqual(["held"]);
  });
});

describe("a replacement's ship-by timer coming due", () => {
  it("warns the store's warehouse clerks at level 1, scheduling the escalation, and escalates to the store manager at level 2", () => {
    expect(decideReplacementOverdue(timer(1), node, reserved, now, { escalateAfterMs: 60_000 })).toEqual({
      kind: "flag",
      level: 1,
      responsibleRole: "warehouse-clerk",
      escalatedToRole: "",
      escalateAt: new Date(now.getTime() + 60_000),
    });
    expect(decideReplacementOverdue(timer(2), { ...node, level: 1 }, reserved, now, { escalateAfterMs: 60_000 })).toEqual({
      kind: "flag",
      level: 2,
      responsibleRole: "warehouse-clerk",
      escalatedToRole: "store-manager",
    });
  });

  it("flags nothing once shipped or called off, for a store it moved away from, or at a level flagged before (a timer fired again)", () => {
    const settings = { escalateAfterMs: 1 };
    expect(decideReplacementOverdue(timer(1), { ...node, metAt: now }, reserved, now, settings)).toEqual({ kind: "nothing", why: "met" });
    expect(decideReplacementOverdue(timer(1), { ...node, calledOffAt: now }, reserved, now, settings)).toEqual({ kind: "nothing", why: "called-off" });
    expect(decideReplacementOverdue(timer(1), node, { status: "shipped", storeId: "store-a" }, now, settings)).toEqual({ kind: "nothing", why: "not-reserved" });
    expect(decideReplacementOverdue(timer(1, "store-old"), node, reserved, now, settings)).toEqual({ kind: "nothing", why: "moved" });
    expect(decideReplacementOverdue(timer(1), { ...node, level: 1 }, reserved, now, settings)).toEqual({ kind: "nothing", why: "flagged-already" });
    expect(decideReplacementOverdue(timer(2), { ...node, level: 2 }, reserved, now, settings)).toEqual({ kind: "nothing", why: "flagged-already" });
    expect(decideReplacementOverdue(timer(1), undefined, reserved, now, settings)).toEqual({ kind: "nothing", why: "no-deadline" });
  });

  it("flags a step's node only while the replacement still owes that step (ADR 030's seventh addendum)", () => {
    const settings = { escalateAfterMs: 1 };
    const fresh = { status: "reserved" as const, storeId: "store-a" };
    const pickNode = { ...node, step: "pick" as const };
    expect(decideReplacementOverdue(timer(1, "store-a", "pick"), pickNode, fresh, now, settings)).toMatchObject({ kind: "flag", level: 1 });
    const picked = { ...fresh, picked: { at, by: "staff:w-1" } };
    expect(decideReplacementOverdue(timer(1, "store-a", "pick"), pickNode, picked, now, settings)).toEqual({ kind: "nothing", why: "not-awaited" });
    expect(decideReplacementOverdue(timer(1, "store-a", "pack"), { ...node, step: "pack" }, picked, now, settings)).toMatchObject({ kind: "flag", level: 1 });
  });

  it("gives each step an order's allowance for it, and one opened before the steps the whole way out", () => {
    const settings = { pickMs: 1_000, packMs: 2_000, shipMs: 3_000, escalateAfterMs: 1 };
    expect(replacementStepDueAt({}, "pick", at, settings)).toEqual(new Date(at.getTime() + 1_000));
    expect(replacementStepDueAt({}, "pack", at, settings)).toEqual(new Date(at.getTime() + 2_000));
    expect(replacementStepDueAt({ predatesSteps: true }, "ship", at, settings)).toEqual(new Date(at.getTime() + 6_000));
  });

  it("refuses a malformed timer level rather than deciding on it", () => {
    expect(() => decideReplacementOverdue(timer(3), node, reserved, now, { escalateAfterMs: 1 })).toThrow(expect.objectContaining({ code: "replacement-deadline.invalid-level", message: expect.stringMatching(/must be 1 or 2, got 3/) }));
  });
});
