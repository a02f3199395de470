import { describe, expect, it } from "vitest";
import { carrierRecoveriesOfPeriod, decideReceipt, mayDescribeSpent, outstandingOf, recoveryDueOf, spentOnName, statusOf, type CarrierRecovery } from "./carrier-recovery.ts";

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

describe("a carrier recovery", () => {
  it("is due, then partly received, then received", () => {
    expect(statusOf(recovery(0))).toBe("due");
    expect(statusOf(recovery(1))).toBe("partly-received");
    expect(statusOf(recovery(7_999))).toBe("partly-received");
    expect(statusOf(recovery(8_000))).toBe("received");
    expect(outstandingOf(recovery(3_000))).toBe(5_000);
  });

  it("books partial payments up to what the carrier agreed, never more", () => {
    expect(decideReceipt(recovery(0), { amountMinor: 3_000, reference: "BANK-1" }, undefined)).toEqual({ kind: "book", amountMinor: 3_000, receivedMinor: 3_000, status: "partly-received" });
    expect(decideReceipt(recovery(3_000), { amountMinor: 5_000, reference: "BANK-2" }, undefined)).toEqual({ kind: "book", amountMinor: 5_000, receivedMinor: 8_000, status: "received" });
    expect(decideReceipt(recovery(3_000), { amountMinor: 5_001, reference: "BANK-2" }, undefined)).toEqual({ kind: "over-due", outstandingMinor: 5_000 });
    expect(decideReceipt(recovery(8_000), { amountMinor: 1, reference: "BANK-3" }, undefined)).toEqual({ kind: "over-due", outstandingMinor: 0 });
  });

  it("takes the same receipt again as a retry, even once the recovery is received in full", () => {
    expect(decideReceipt(recovery(8_000), { amountMinor: 5_000, reference: "BANK-2" }, { reference: "BANK-2", caseId: "case-1", amountMinor: 5_000 })).toEqual({ kind: "repeat" });
  });

  it("refuses a reference a carrier remittance was booked under, even for what it allocated to this case", () => {
    const remittance = { reference: "BANK-9", carrier: "SF Express" };
    expect(decideReceipt(recovery(0), { amountMinor: 3_000, reference: "BANK-9" }, undefined, remittance)).toEqual({ kind: "reference-of-remittance", remittance });
  });

  it("takes no receipt under a remittance's allocation reference as a retry, even for the case and amount allocated: finance booked none alone under it", () => {
    const allocation = { reference: "BANK-9#1", caseId: "case-1", amountMinor: 3_000, remittance: "BANK-9" };
    expect(decideReceipt(recovery(3_000), { amountMinor: 3_000, reference: "BANK-9#1" }, allocation)).toEqual({ kind: "reference-reused", earlier: allocation });
  });

  it("refuses a reference that already books another amount or another case's payment", () => {
    const other = { reference: "BANK-2", caseId: "case-2", amountMinor: 5_000 };
    expect(decideReceipt(recovery(0), { amountMinor: 5_000, reference: "BANK-2" }, other)).toEqual({ kind: "reference-reused", earlier: other });
    const sameCase = { reference: "BANK-2", caseId: "case-1", amountMinor: 4_000 };
    expect(decideReceipt(recovery(4_000), { amountMinor: 5_000, reference: "BANK-2" }, sameCase)).toEqual({ kind: "reference-reused", earlier: sameCase });
  });

  it("is due only for a settlement that names money", () => {
    expect(recoveryDueOf({ recoveredMinor: 8_000 })).toBe(8_000);
    expect(recoveryDueOf({ recoveredMinor: 0 })).toBeUndefined();
  });
});

describe("a reconciliation's carrier money", () => {
  it("counts the period's settlements, what they made due and still await, and the receipts booked in it, whichever settlement they pay", () => {
    const settled = [
      { dueMinor: 8_000, receivedMinor: 3_000, currency: "CNY" },
      { dueMinor: 2_000, receivedMinor: 2_000, currency: "CNY" },
    ];
    const booked = [
      { amountMinor: 3_000, currency: "CNY" },
      { amountMinor: 500, currency: "CNY" },
    ];
    expect(carrierRecoveriesOfPeriod(settled, booked)).toEqual({ settled: 2, dueMinor: 10_000, receipts: 2, receivedMinor: 3_500, outstandingMinor: 5_000, reversals: 0, reversedMinor: 0, currency: "CNY" });
    expect(carrierRecoveriesOfPeriod([], [])).toEqual({ settled: 0, dueMinor: 0, receipts: 0, receivedMinor: 0, outstandingMinor: 0, reversals: 0, reversedMinor: 0, currency: "" });
  });
});

describe("a refusal naming the claim that spent a reference", () => {
  const request = { caseIds: ["c-1"], storeIds: new Set(["store-a"]) };
  it("names the request's own claim, or another of its store's, by case; another store's only as that", () => {
    expect(spentOnName({ caseId: "c-1", storeId: "store-a" }, request)).toBe("this recovery");
    expect(spentOnName({ caseId: "c-2", storeId: "store-a" }, request)).toBe("case c-2's recovery");
    expect(spentOnName({ caseId: "c-3", storeId: "store-b" }, request)).toBe("a claim of another store");
    expect(spentOnName({ caseId: "c-3", storeId: undefined }, request)).toBe("a claim of another store");
  });

  it("describes the payment (amount, carrier, claims) only when every claim it paid is of the request's stores", () => {
    expect(mayDescribeSpent(["store-a"], request)).toBe(true);
    expect(mayDescribeSpent(["store-a", "store-b"], request)).toBe(false);
    expect(mayDescribeSpent([undefined], request)).toBe(false);
    expect(mayDescribeSpent([], request)).toBe(false);
  });
});
