import { describe, expect, it } from "vitest";
import type { CarrierRecovery } from "./carrier-recovery.ts";
import { allocationReference, decideRemittance, typedReferenceFault, type Remittance, type SpentReferences } from "./carrier-remittance.ts";

const recovery = (caseId: string, dueMinor: number, receivedMinor: number, more: Partial<CarrierRecovery> = {}): CarrierRecovery => ({
  caseId,
  orderId: `o-${caseId}`,
  storeId: "store-1",
  carrier: "SF Express",
  carrierReference: "",
  dueMinor,
  currency: "CNY",
  receivedMinor,
  ...more,
});
const held = (...recoveries: CarrierRecovery[]) => new Map(recoveries.map((r) => [r.caseId, r]));
const nothingSpent: SpentReferences = { remittance: undefined, receipt: undefined, allocationReferencesTaken: new Set() };
const transfer = (...allocations: [string, number][]): Remittance => ({
  reference: "BANK-9",
  carrier: "SF Express",
  currency: "CNY",
  allocations: allocations.map(([caseId, amountMinor]) => ({ caseId, amountMinor })),
});

describe("a carrier's transfer paying several claims", () => {
  it("books each allocation as a receipt of its recovery under the transfer's reference and its place", () => {
    expect(decideRemittance(transfer(["c-1", 3_000], ["c-2", 500]), held(recovery("c-1", 3_000, 0), recovery("c-2", 2_000, 1_000)), nothingSpent)).toEqual({
      kind: "book",
      receipts: [
        { caseId: "c-1", reference: "BANK-9#1", amountMinor: 3_000, receivedMinor: 3_000, status: "received" },
        { caseId: "c-2", reference: "BANK-9#2", amountMinor: 500, receivedMinor: 1_500, status: "partly-received" },
      ],
      totalMinor: 3_500,
    });
  });

  it("refuses the whole when any allocation cannot be booked, naming each by its place", () => {
    const recoveries = held(recovery("c-1", 3_000, 0), recovery("c-2", 2_000, 1_500), recovery("c-3", 1_000, 0, { carrier: "ZTO" }), recovery("c-4", 1_000, 0, { currency: "USD" }));
    expect(decideRemittance(transfer(["c-1", 3_000], ["c-2", 501], ["c-3", 100], ["c-4", 100], ["c-5", 100]), recoveries, nothingSpent)).toEqual({
      kind: "refused",
      refusals: [
        { kind: "more-than-owed", index: 1, caseId: "c-2", outstandingMinor: 500 },
        { kind: "other-carrier", index: 2, caseId: "c-3", carrier: "ZTO" },
        { kind: "other-currency", index: 3, caseId: "c-4", currency: "USD" },
        { kind: "unknown-recovery", index: 4, caseId: "c-5" },
      ],
    });
  });

  it("refuses an allocation whose receipt reference a receipt booked alone already took", () => {
    const spent = { ...nothingSpent, allocationReferencesTaken: new Set(["BANK-9#2"]) };
    expect(decideRemittance(transfer(["c-1", 100], ["c-2", 100]), held(recovery("c-1", 3_000, 0), recovery("c-2", 3_000, 0)), spent)).toEqual({
      kind: "refused",
      refusals: [{ kind: "reference-taken", index: 1, caseId: "c-2", reference: "BANK-9#2" }],
    });
  });

  it("spends its reference once: the same transfer again is a retry, in any order, whatever it left owed; other content or a receipt's reference is refused", () => {
    const booked = transfer(["c-1", 3_000], ["c-2", 500]);
    // Retried after it was booked: the recoveries now hold its money, and that is no refusal.
    const after = held(recovery("c-1", 3_000, 3_000), recovery("c-2", 2_000, 1_500));
    expect(decideRemittance(transfer(["c-2", 500], ["c-1", 3_000]), after, { ...nothingSpent, remittance: booked })).toEqual({ kind: "repeat" });
    expect(decideRemittance(transfer(["c-1", 3_000], ["c-2", 400]), after, { ...nothingSpent, remittance: booked })).toEqual({ kind: "reference-reused", earlier: { remittance: booked } });
    const receipt = { reference: "BANK-9", caseId: "c-9", amountMinor: 700 };
    expect(decideRemittance(booked, after, { ...nothingSpent, receipt })).toEqual({ kind: "reference-reused", earlier: { receipt } });
  });

  it("refuses the same transfer again once it was reversed whole, as a reversed receipt's reference is: spent for good, not a retry booked", () => {
    const booked = transfer(["c-1", 3_000], ["c-2", 500]);
    const reversed = held(recovery("c-1", 3_000, 0), recovery("c-2", 2_000, 1_000));
    const spent = { ...nothingSpent, remittance: booked, remittanceReversedWhole: true };
    expect(decideRemittance(transfer(["c-2", 500], ["c-1", 3_000]), reversed, spent)).toEqual({ kind: "reference-reversed", earlier: { remittance: booked } });
    // Other content under it is still the reference reused.
    expect(decideRemittance(transfer(["c-1", 100]), reversed, spent)).toEqual({ kind: "reference-reused", earlier: { remittance: booked } });
  });

  it("keeps '#' for its allocations' names: no reference finance types is one, nor makes one", () => {
    expect(typedReferenceFault("BANK-9")).toBeUndefined();
    expect(typedReferenceFault("BANK-9#1")).toContain('"#"');
    expect(typedReferenceFault(allocationReference("BANK-9", 0))).toBeDefined();
  });
});
