import { describe, expect, it } from "vitest";
import { decideRefund, evolveRefunds, refundableOf, RefundRuleViolation, type RefundAccount, type RefundCommand } from "./refund.ts";

const prepaidWebsiteOrder = (overrides: Partial<RefundAccount> = {}): RefundAccount => ({
  orderId: "o-1",
  currency: "CNY",
  marketplace: false,
  taken: [{ source: "prepayment", amountMinor: 10_800, method: "third-party" }],
  refunded: [],
  ...overrides,
});

const cancel = (reason = "customer changed their mind"): RefundCommand => ({ type: "RefundOnCancellation", reason });
const grant = (amountMinor: number, reason = "price difference of a substitute"): RefundCommand => ({ type: "GrantRefund", amountMinor, reason });

function run(commands: RefundCommand[], account: RefundAccount) {
  const issued = [];
  for (const command of commands) {
    for (const refund of decideRefund(command, account)) {
      account = evolveRefunds(account, refund);
      issued.push(refund);
    }
  }
  return { account, issued };
}

describe("refunds", () => {
  it("return a cancelled prepaid order's whole payment to the original method, once", () => {
    const { account, issued } = run([cancel(), cancel()], prepaidWebsiteOrder());
    expect(issued).toEqual([
      { type: "RefundIssued", source: "prepayment", amountMinor: 10_800, method: "third-party", reason: "order cancelled: customer changed their mind", trigger: "cancellation" },
    ]);
    expect(refundableOf(account)).toBe(0);
  });

  it("leave the refund of a marketplace order to the platform", () => {
    const { issued } = run([cancel("out of stock")], prepaidWebsiteOrder({ marketplace: true }));
    expect(issued).toMatchObject([{ amountMinor: 10_800, method: "marketplace" }]);
  });

  it("issue nothing when a cancelled order had taken no money", () => {
    expect(decideRefund(cancel(), prepaidWebsiteOrder({ taken: [] }))).toEqual([]);
  });

  it("return on cancellation only what a clerk's partial refund left", () => {
    const { issued } = run([grant(800), cancel()], prepaidWebsiteOrder());
    expect(issued.map((r) => [r.trigger, r.amountMinor])).toEqual([
      ["finance", 800],
      ["cancellation", 10_000],
    ]);
  });

  it("go back the way each payment came, and no refund returns more than its payment", () => {
    const instalments = prepaidWebsiteOrder({
      taken: [
        { source: "pay-1", amountMinor: 5_000, method: "bank-transfer" },
        { source: "pay-2", amountMinor: 5_800, method: "collected-on-delivery" },
      ],
    });
    const { issued } = run([grant(3_000), grant(4_000)], instalments);
    expect(issued.map((r) => [r.source, r.amountMinor, r.method])).toEqual([
      ["pay-1", 3_000, "bank-transfer"],
      ["pay-1", 2_000, "bank-transfer"],
      ["pay-2", 2_000, "collected-on-delivery"],
    ]);
  });

  it("refuse a partial refund beyond what is left, naming paid, refunded and left", () => {
    const { account } = run([grant(10_000)], prepaidWebsiteOrder());
    expect(() => decideRefund(grant(801), account)).toThrow(RefundRuleViolation);
    expect(() => decideRefund(grant(801), account)).toThrow(/10800 paid, 10000 already refunded, 800 left to refund/);
    expect(decideRefund(grant(800), account)).toMatchObject([{ amountMinor: 800 }]);
  });

  it("refuse amounts that are not positive whole minor units, and a refund without a reason", () => {
    for (const amount of [0, -1, 1.5, Number.NaN]) expect(() => decideRefund(grant(amount), prepaidWebsiteOrder())).toThrow(/positive integer/);
    expect(() => decideRefund(grant(100, "  "), prepaidWebsiteOrder())).toThrow(/reason/);
  });

  it("pay back a resolved after-sales case's money as an after-sales refund, bounded by what is still held", () => {
    const resolvedCase = (amountMinor: number): RefundCommand => ({ type: "RefundResolvedCase", amountMinor, reason: "after-sales return c-1: taken back" });
    const { issued } = run([resolvedCase(4_000), resolvedCase(9_000), resolvedCase(100)], prepaidWebsiteOrder());
    expect(issued.map((r) => [r.amountMinor, r.trigger])).toEqual([
      [4_000, "after-sales"],
      [6_800, "after-sales"],
    ]);
  });
});
