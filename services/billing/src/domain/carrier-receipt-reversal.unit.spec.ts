import { describe, expect, it } from "vitest";
import { decideReversal, dueByOf, isOverdue, shouldAnnounceOverdue } from "./carrier-receipt-reversal.ts";
import { carrierRecoveriesOfPeriod, decideReceipt, type CarrierRecovery } from "./carrier-recovery.ts";

const recovery = (receivedMinor: number): CarrierRecovery => ({
  caseId: "case-1",
  orderId: "o-1",
  storeId: "store-1",
  carrier: "SF Express",
  carrierReference: "CLM-1",
  dueMinor: 8_000,
  currency: "CNY",
  receivedMinor,
});
const receipt = { reference: "BANK-1", caseId: "case-1", amountMinor: 5_000 };

describe("reversing a carrier receipt booked in error", () => {
  it("takes the receipt's amount off the recovery: received goes back to partly received, or due", () => {
    expect(decideReversal(recovery(8_000), receipt, undefined, "wrong claim")).toEqual({ kind: "reverse", amountMinor: 5_000, receivedMinor: 3_000, status: "partly-received" });
    expect(decideReversal(recovery(5_000), receipt, undefined, "wrong claim")).toEqual({ kind: "reverse", amountMinor: 5_000, receivedMinor: 0, status: "due" });
  });

  it("reverses a receipt once: the same reason again is a retry, another reason is refused", () => {
    const earlier = { reference: "BANK-1", reason: "wrong claim", reversedBy: "staff:fin-1" };
    expect(decideReversal(recovery(3_000), receipt, earlier, "wrong claim")).toEqual({ kind: "repeat" });
    expect(decideReversal(recovery(3_000), receipt, earlier, "wrong amount")).toEqual({ kind: "already-reversed", earlier });
  });

  it("knows no receipt under a reference unbooked, or booked on another case", () => {
    expect(decideReversal(recovery(0), undefined, undefined, "wrong claim")).toEqual({ kind: "unknown-receipt" });
    expect(decideReversal(recovery(0), { ...receipt, caseId: "case-2" }, undefined, "wrong claim")).toEqual({ kind: "unknown-receipt" });
  });

  it("keeps a reversed receipt's reference spent, even for the same amount on the same case", () => {
    const reversed = { ...receipt, reversed: true };
    expect(decideReceipt(recovery(0), { amountMinor: 5_000, reference: "BANK-1" }, reversed)).toEqual({ kind: "reference-reversed", earlier: reversed });
  });

  it("shows the period's reversals beside its receipts", () => {
    const figures = carrierRecoveriesOfPeriod([], [{ amountMinor: 5_000, currency: "CNY" }], [{ amountMinor: 5_000, currency: "CNY" }]);
    expect(figures).toMatchObject({ receipts: 1, receivedMinor: 5_000, reversals: 1, reversedMinor: 5_000 });
  });
});

describe("a recovery overdue", () => {
  const settledAt = new Date("2026-11-01T10:00:00Z");
  const dueBy = dueByOf(settledAt, 30);

  it("is due in full the set number of days after its settlement, fractions of a day too", () => {
    expect(dueBy.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(dueByOf(settledAt, 0.5).toISOString()).toBe("2026-11-01T22:00:00.000Z");
  });

  it("is overdue once its due-by time passes without full payment", () => {
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 3_000, dueBy }, new Date("2026-11-30T10:00:00Z"))).toBe(false);
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 3_000, dueBy }, dueBy)).toBe(true);
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 8_000, dueBy }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
  });

  it("is announced once, and only when not paid in full by then", () => {
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, overdueAnnouncedAt: undefined })).toBe(true);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, overdueAnnouncedAt: new Date() })).toBe(false);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 8_000, overdueAnnouncedAt: undefined })).toBe(false);
  });
});
