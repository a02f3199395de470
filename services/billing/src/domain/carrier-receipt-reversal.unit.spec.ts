import { describe, expect, it } from "vitest";
import { decideReversal } from "./carrier-receipt-reversal.ts";
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
