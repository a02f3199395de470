import { describe, expect, it } from "vitest";
import type { CaseCaller } from "./case-callers.ts";
import type { OrderFacts } from "./order-facts.ts";
import { checkedSatisfaction, decideSatisfaction, type SatisfactionAsked } from "./satisfaction.ts";

const now = new Date("2026-12-06T12:00:00Z");
const facts: OrderFacts = { orderId: "o-1", storeId: "s-1", kind: "goods", status: "completed", customerId: "c-1", lines: [], grandTotalMinor: 30_000, currency: "CNY" };
const customer: CaseCaller = { kind: "customer", id: "c-1", role: "customer" };
const agent: CaseCaller = { kind: "staff", id: "cs-1", role: "customer-service" };
const ask = (more: Partial<SatisfactionAsked> = {}): SatisfactionAsked => ({ orderId: "o-1", score: 4, comment: " quick and friendly ", channel: "online", ...more });
const fieldsOf = (run: () => unknown) => {
  try {
    run();
    return [];
  } catch (error) {
    return (error as { fields?: unknown[] }).fields ?? [(error as { code?: string }).code];
  }
};

describe("a customer's satisfaction with an order", () => {
  it("is a whole score from 1 to 5 with a comment, said online by the customer or on a follow-up call by customer service", () => {
    expect(checkedSatisfaction(ask(), customer)).toEqual({ orderId: "o-1", score: 4, comment: "quick and friendly", channel: "online" });
    expect(checkedSatisfaction(ask({ channel: "follow-up-call" }), agent).channel).toBe("follow-up-call");
    for (const score of [0, 6, 2.5, Number.NaN]) expect(fieldsOf(() => checkedSatisfaction(ask({ score }), customer))).toEqual([{ field: "score", message: "must be a whole number from 1 to 5" }]);
    expect(fieldsOf(() => checkedSatisfaction(ask({ channel: "follow-up-call" }), customer))).toEqual([{ field: "channel", message: "a customer answers online" }]);
    expect(fieldsOf(() => checkedSatisfaction(ask(), agent))).toEqual([{ field: "channel", message: "customer service records a follow-up-call" }]);
    expect(fieldsOf(() => checkedSatisfaction(ask({ orderId: " ", comment: "x".repeat(2_001), channel: "sms" }), customer))).toEqual([
      { field: "orderId", message: "is required" },
      { field: "comment", message: "must be at most 2000 characters" },
      { field: "channel", message: "must be one of online, follow-up-call" },
    ]);
  });

  it("is recorded once an order reached its customer, by that customer or customer service (a guest order's by customer service only), and once only; the same answer again is a retry", () => {
    const asked = checkedSatisfaction(ask(), customer);
    const recorded = decideSatisfaction(asked, customer, "customer:c-1", facts, undefined, now)!;
    expect(recorded).toEqual({ orderId: "o-1", storeId: "s-1", score: 4, comment: { clear: "quick and friendly" }, channel: "online", recordedBy: "customer:c-1", recordedAt: now });
    expect(decideSatisfaction(asked, customer, "customer:c-1", facts, recorded, now)).toBeUndefined();
    expect(fieldsOf(() => decideSatisfaction({ ...asked, score: 1 }, customer, "customer:c-1", facts, recorded, now))).toEqual(["after-sales.satisfaction-recorded"]);
    expect(fieldsOf(() => decideSatisfaction({ ...asked, comment: "slow" }, customer, "customer:c-1", facts, recorded, now))).toEqual(["after-sales.satisfaction-recorded"]);
    // The recorded comment is kept sealed: the app opens it before the retry is compared.
    expect(() => decideSatisfaction(asked, customer, "customer:c-1", facts, { ...recorded, comment: { sealed: new Uint8Array([1]) } }, now)).toThrow(/still sealed/);
    expect(fieldsOf(() => decideSatisfaction(asked, { ...customer, id: "c-2" }, "customer:c-2", facts, undefined, now))).toEqual(["after-sales.order-unknown"]);
    expect(fieldsOf(() => decideSatisfaction(asked, customer, "customer:c-1", { ...facts, customerId: "" }, undefined, now))).toEqual(["after-sales.not-your-order"]);
    const byPhone = checkedSatisfaction(ask({ channel: "follow-up-call" }), agent);
    expect(decideSatisfaction(byPhone, agent, "staff:cs-1", { ...facts, customerId: "" }, undefined, now)?.recordedBy).toBe("staff:cs-1");
    expect(fieldsOf(() => decideSatisfaction(asked, customer, "customer:c-1", { ...facts, status: "shipped" }, undefined, now))).toEqual(["after-sales.not-delivered-yet"]);
  });
});
