import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import {
  assertSameOpening,
  decideFinding,
  decideOpening,
  decideResolution,
  departmentOfRole,
  disputableOf,
  isRepeatOfResolution,
  respondByOf,
  shouldEscalate,
  type DisputeState,
} from "./settlement-dispute.ts";

const figures = { currency: "CNY", amountDueMinor: 10_800, paidMinor: 10_800 };
const opening = { requestId: "r-1", kind: "refund-missing", amountMinor: 2_000, statement: "refund never arrived" };
const dispute = (over: Partial<DisputeState & { statement: string }> = {}): DisputeState & { statement: string } => ({
  disputeId: "d-1",
  orderId: "o-1",
  kind: "chargeback",
  amountMinor: 2_000,
  statement: "not mine",
  openedBy: "customer:c-1",
  departments: ["finance", "delivery", "store"],
  resolved: false,
  escalated: false,
  ...over,
});
const fieldsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields.map((f) => f.field);
    throw error;
  }
  return [];
};

describe("opening a dispute", () => {
  it("routes it to the departments whose records matter, by kind", () => {
    expect(decideOpening(opening, figures)).toEqual({ kind: "refund-missing", amountMinor: 2_000, statement: "refund never arrived", departments: ["finance", "warehouse"] });
    expect(decideOpening({ ...opening, kind: "chargeback" }, figures).departments).toEqual(["finance", "delivery", "store"]);
    expect(decideOpening({ ...opening, kind: "payment-missing" }, figures).departments).toEqual(["finance"]);
  });

  it("bounds the amount by the order's amount due or what was paid, whichever is more", () => {
    expect(disputableOf({ currency: "CNY", amountDueMinor: 9_000, paidMinor: 10_800 })).toBe(10_800);
    expect(disputableOf({ currency: "CNY", amountDueMinor: 10_800, paidMinor: 0 })).toBe(10_800);
    expect(fieldsOf(() => decideOpening({ ...opening, amountMinor: 10_801 }, figures))).toEqual(["amountMinor"]);
    expect(fieldsOf(() => decideOpening({ ...opening, amountMinor: 10_800 }, figures))).toEqual([]);
  });

  it("names every wrong field", () => {
    expect(fieldsOf(() => decideOpening({ requestId: " ", kind: "weather", amountMinor: 0.5, statement: "" }, figures))).toEqual(["requestId", "kind", "amountMinor", "statement"]);
  });

  it("takes the same request id with the same content for the same dispute, and refuses other content", () => {
    const opened = decideOpening(opening, figures);
    const stored = dispute({ kind: "refund-missing", statement: "refund never arrived", openedBy: "customer:c-1" });
    expect(() => assertSameOpening(stored, "r-1", opened, "customer:c-1")).not.toThrow();
    expect(() => assertSameOpening(stored, "r-1", { ...opened, amountMinor: 2_001 }, "customer:c-1")).toThrow(ConflictError);
    expect(() => assertSameOpening(stored, "r-1", opened, "staff:cs-1")).toThrow(ConflictError);
  });
});

describe("a department's finding", () => {
  it("is recorded for the caller's department when the dispute was routed to it", () => {
    expect(decideFinding(dispute(), { kind: "staff", id: "r-1", role: "rider" }, { findingId: "f-1", text: "signed for" })).toBe("delivery");
    expect(decideFinding(dispute(), { kind: "staff", id: "sm-1", role: "store-manager" }, { findingId: "f-2", text: "served well" })).toBe("store");
  });

  it("is refused from a department not involved, from a customer, without words, or once resolved", () => {
    expect(() => decideFinding(dispute(), { kind: "staff", id: "w-1", role: "warehouse-clerk" }, { findingId: "f", text: "x" })).toThrow(ForbiddenError);
    expect(() => decideFinding(dispute(), { kind: "customer", id: "c-1", role: "customer" }, { findingId: "f", text: "x" })).toThrow(ForbiddenError);
    expect(fieldsOf(() => decideFinding(dispute(), { kind: "staff", id: "f-1", role: "finance" }, { findingId: "", text: " " }))).toEqual(["findingId", "finding"]);
    expect(() => decideFinding(dispute({ resolved: true }), { kind: "staff", id: "f-1", role: "finance" }, { findingId: "f", text: "x" })).toThrow(IllegalStateError);
  });

  it("knows which department each role speaks for", () => {
    expect(["finance", "warehouse-clerk", "dispatcher", "supervisor", "customer-service", "auditor"].map(departmentOfRole)).toEqual(["finance", "warehouse", "delivery", "store", "customer-service", undefined]);
  });
});

describe("finance's resolution", () => {
  const base = { outcome: "upheld", correction: "refund", refundMinor: 2_000, documentNumber: "", reason: "", customerAnswer: "refunded" };

  it("upholds with a refund of at most the amount in dispute, or with an invoice document", () => {
    expect(decideResolution(dispute(), base)).toEqual({ outcome: "upheld", correction: "refund", refundMinor: 2_000, reason: "", customerAnswer: "refunded" });
    expect(fieldsOf(() => decideResolution(dispute(), { ...base, refundMinor: 2_001 }))).toEqual(["refundMinor"]);
    expect(decideResolution(dispute(), { ...base, correction: "invoice-correction", documentNumber: " S-000002 " })).toMatchObject({ correction: "invoice-correction", documentNumber: "S-000002" });
    expect(fieldsOf(() => decideResolution(dispute(), { ...base, correction: "invoice-correction" }))).toEqual(["documentNumber"]);
    expect(fieldsOf(() => decideResolution(dispute(), { ...base, correction: "apology" }))).toEqual(["correction"]);
  });

  it("rejects only with a reason, and always needs the customer's answer", () => {
    expect(fieldsOf(() => decideResolution(dispute(), { ...base, outcome: "rejected", customerAnswer: "" }))).toEqual(["customerAnswer", "reason"]);
    expect(fieldsOf(() => decideResolution(dispute(), { ...base, outcome: "maybe" }))).toEqual(["outcome"]);
  });

  it("takes the same resolution again for a retry, anything else for another", () => {
    const upheld = decideResolution(dispute(), base);
    expect(isRepeatOfResolution(upheld, decideResolution(dispute(), base))).toBe(true);
    expect(isRepeatOfResolution(upheld, decideResolution(dispute(), { ...base, refundMinor: 1_000 }))).toBe(false);
    expect(isRepeatOfResolution(upheld, decideResolution(dispute(), { ...base, outcome: "rejected", reason: "no" }))).toBe(false);
  });
});

describe("the respond-by time", () => {
  it("falls the configured hours after the opening, and escalates an open dispute once, never a resolved one", () => {
    expect(respondByOf(new Date("2026-12-07T00:00:00Z"), 72).toISOString()).toBe("2026-12-10T00:00:00.000Z");
    expect(shouldEscalate(dispute())).toBe(true);
    expect(shouldEscalate(dispute({ escalated: true }))).toBe(false);
    expect(shouldEscalate(dispute({ resolved: true }))).toBe(false);
  });
});
