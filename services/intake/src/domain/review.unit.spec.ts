import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import type { CheckedOrder } from "./pre-check.ts";
import { assertMayMarkVip, customerKeysOf, decideReview, reviewReasonsOf } from "./review.ts";
import type { Store } from "./store-catalogue.ts";

const store = { reviewThresholdMinor: 500_000, reviewLineQuantityAbove: 50 } as Store;
const checked = (grandTotalMinor: number, quantities: number[], vip = false) =>
  ({ store, totals: { grandTotalMinor }, lines: quantities.map((quantity) => ({ quantity })), submission: { customer: { vip } } }) as unknown as CheckedOrder;

describe("manual review", () => {
  it("sends large amounts (from the threshold on), VIP and flagged customers and unusual quantities to a reviewer, with a reason each", () => {
    expect(reviewReasonsOf(checked(499_999, [50]), false)).toEqual([]);
    expect(reviewReasonsOf(checked(500_000, [1]), false)).toEqual(["large-amount: grand total 500000 reaches the store's review threshold 500000"]);
    expect(reviewReasonsOf(checked(1_000, [1]), true)).toEqual(["flagged-customer: the customer is flagged for review"]);
    expect(reviewReasonsOf(checked(1_000, [1, 51]), false)).toEqual(["unusual-quantity: lines[1] orders 51, above the store's limit of 50"]);
    expect(reviewReasonsOf(checked(1_000, [1], true), false)).toEqual(["vip-customer: the customer is a VIP"]);
    expect(reviewReasonsOf(checked(600_000, [60], true), true)).toHaveLength(4);
  });

  it("lets the chain's staff and marketplaces mark a customer VIP, not a customer submitting for themselves", () => {
    const address = { line1: "x", city: "x", district: "x", country: "CN" };
    const vip = { name: "n", phone: "+86 138 0013 8000", address, vip: true };
    expect(() => assertMayMarkVip({ kind: "staff", id: "s-7", role: "order-taker" }, vip)).not.toThrow();
    expect(() => assertMayMarkVip({ kind: "platform", id: "tmall", role: "platform" }, vip)).not.toThrow();
    expect(() => assertMayMarkVip({ kind: "customer", id: "c-42", role: "customer" }, { ...vip, vip: false })).not.toThrow();
    try {
      assertMayMarkVip({ kind: "customer", id: "c-42", role: "customer" }, vip);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields).toEqual([{ field: "customer.vip", message: "only the chain's staff or a marketplace marks a customer VIP" }]);
    }
  });

  it("knows a customer by id, and by the digests of their phone digits and e-mail", () => {
    const address = { line1: "x", city: "x", district: "x", country: "CN" };
    const shown = (kind: string, normalised: string) => `<${kind}|${normalised}>`;
    expect(customerKeysOf({ customerId: "c-1", name: "n", phone: "+86 138-0013", email: " A@B.cn ", address }, shown)).toEqual([
      "id:c-1",
      "phone-digest:<phone|861380013>",
      "email-digest:<email|a@b.cn>",
    ]);
  });

  it("decides a pending review once; the same decision again changes nothing; the other decision is refused", () => {
    expect(decideReview("pending", { type: "approve", note: "called the customer" })).toEqual({ type: "approved", note: "called the customer" });
    expect(decideReview("pending", { type: "reject", reason: "fraud suspected" })).toEqual({ type: "rejected", reason: "fraud suspected" });
    expect(decideReview("approved", { type: "approve", note: "" })).toEqual({ type: "unchanged" });
    expect(decideReview("rejected", { type: "reject", reason: "again" })).toEqual({ type: "unchanged" });
    expect(() => decideReview("rejected", { type: "approve", note: "" })).toThrow(IllegalStateError);
    expect(() => decideReview("approved", { type: "reject", reason: "late" })).toThrow(IllegalStateError);
  });
});
