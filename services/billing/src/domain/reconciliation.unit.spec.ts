import { describe, expect, it } from "vitest";
import { compareOrder, compareStore, settleRun, type FoundDifference, type KnownDifference, type OrderFacts, type OrderMoney } from "./reconciliation.ts";

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({ orderId: "o-1", status: "closed", dueMinor: 10_800, currency: "CNY", ...over });
const noRefunds = { cancellation: 0, finance: 0, substitution: 0, "after-sales": 0 };
const money = (over: Partial<OrderMoney> = {}): OrderMoney => ({
  orderId: "o-1",
  currency: "CNY",
  settled: true,
  paidMinor: 10_800,
  refundedMinor: { ...noRefunds },
  invoiced: true,
  ...over,
});
const kinds = (differences: FoundDifference[]) => differences.map((d) => d.kind);

describe("comparing an order's money with the order", () => {
  it("finds nothing on a closed order paid in full, settled and invoiced", () => {
    expect(compareOrder(order(), money())).toEqual([]);
  });

  it("finds nothing on an order in progress with part of its money in", () => {
    expect(compareOrder(order({ status: "shipped" }), money({ paidMinor: 4_000, invoiced: false }))).toEqual([]);
  });

  it("finds nothing on a cancelled order refunded in full, nor on one that never took money", () => {
    expect(compareOrder(order({ status: "cancelled" }), money({ refundedMinor: { ...noRefunds, cancellation: 10_800 }, invoiced: false }))).toEqual([]);
    expect(compareOrder(order({ status: "cancelled" }), undefined)).toEqual([]);
  });

  it("a closed order billing holds nothing of, or no settlement of, is closed without a settlement", () => {
    expect(kinds(compareOrder(order(), undefined))).toEqual(["closed-without-settlement"]);
    expect(kinds(compareOrder(order(), money({ settled: false, invoiced: false })))).toEqual(["closed-without-settlement"]);
  });

  it("a closed order that kept money but has no invoice is closed without an invoice", () => {
    const [difference] = compareOrder(order(), money({ invoiced: false }));
    expect(difference).toMatchObject({ orderId: "o-1", kind: "closed-without-invoice", figures: { orderStatus: "closed", dueMinor: 10_800, paidMinor: 10_800, refundedMinor: 0, currency: "CNY" } });
  });

  it("a closed order that collected less than it is due is under-collected; a substitute's refunded difference counts against the sale", () => {
    expect(kinds(compareOrder(order(), money({ paidMinor: 8_000 })))).toEqual(["under-collected"]);
    expect(kinds(compareOrder(order({ dueMinor: 9_800 }), money({ refundedMinor: { ...noRefunds, substitution: 1_000 } })))).toEqual([]);
    expect(kinds(compareOrder(order(), money({ refundedMinor: { ...noRefunds, substitution: 1_000 } })))).toEqual(["under-collected"]);
  });

  it("money given back after the sale (a return, goodwill) is no difference: the credit notes document it", () => {
    expect(compareOrder(order(), money({ refundedMinor: { ...noRefunds, "after-sales": 3_000, finance: 500 } }))).toEqual([]);
  });

  it("keeping more than due is over-collected, closed or not (a correction lowered the total)", () => {
    expect(kinds(compareOrder(order({ dueMinor: 9_000 }), money()))).toEqual(["over-collected"]);
    expect(kinds(compareOrder(order({ status: "delivered", dueMinor: 9_000 }), money({ invoiced: false })))).toEqual(["over-collected"]);
  });

  it("amounts in different currencies are not compared: the currencies differ", () => {
    expect(kinds(compareOrder(order({ currency: "HKD" }), money({ paidMinor: 1 })))).toEqual(["currency-differs"]);
  });

  it("a refund for a cancellation on an order fulfillment does not show cancelled", () => {
    const differences = compareOrder(order({ status: "delivered" }), money({ refundedMinor: { ...noRefunds, cancellation: 10_800 }, invoiced: false }));
    expect(kinds(differences)).toEqual(["refund-without-cancellation"]);
    expect(differences[0]!.detail).toContain("delivered");
  });

  it("a cancelled order billing still keeps money of", () => {
    expect(kinds(compareOrder(order({ status: "cancelled" }), money({ invoiced: false })))).toEqual(["kept-after-cancellation"]);
  });

  it("an invoice of an order fulfillment does not show closed", () => {
    expect(kinds(compareOrder(order({ status: "settled" }), money()))).toEqual(["invoice-without-closure"]);
    expect(kinds(compareOrder(order({ status: "cancelled" }), money({ refundedMinor: { ...noRefunds, cancellation: 10_800 } })))).toEqual(["invoice-without-closure"]);
  });

  it("money of an order fulfillment does not know", () => {
    const [difference] = compareOrder(undefined, money());
    expect(difference).toMatchObject({ kind: "unknown-order", figures: { orderStatus: "", paidMinor: 10_800 } });
  });

  it("several at once, and a store's orders from both sides in id order", () => {
    expect(kinds(compareOrder(order({ dueMinor: 20_000 }), money({ invoiced: false, refundedMinor: { ...noRefunds, cancellation: 100 } })))).toEqual([
      "refund-without-cancellation",
      "under-collected",
      "closed-without-invoice",
    ]);
    const orders = new Map([["o-2", order({ orderId: "o-2" })], ["o-3", order({ orderId: "o-3" })]]);
    const held = new Map([["o-1", money({ orderId: "o-1" })], ["o-3", money({ orderId: "o-3" })]]);
    expect(compareStore(orders, held).map((d) => [d.orderId, d.kind])).toEqual([
      ["o-1", "unknown-order"],
      ["o-2", "closed-without-settlement"],
    ]);
  });
});

describe("a run against the period's earlier runs", () => {
  const found = (orderId: string, kind: FoundDifference["kind"]): FoundDifference => ({ orderId, kind, detail: "", figures: { orderStatus: "closed", dueMinor: 0, paidMinor: 0, refundedMinor: 0, currency: "CNY" } });
  const known = (orderId: string, kind: KnownDifference["kind"], over: Partial<KnownDifference> = {}): KnownDifference => ({
    differenceId: `d-${orderId}`,
    orderId,
    kind,
    explained: false,
    resolvedByData: false,
    ...over,
  });

  it("none found is balanced", () => {
    expect(settleRun([], [])).toMatchObject({ added: [], foundAgain: [], resolvedByData: [], balanced: true, openCount: 0 });
  });

  it("adds what is new, finds the known one again by order and kind, and does not reopen an explained one", () => {
    const outcome = settleRun([found("o-1", "under-collected"), found("o-2", "unknown-order")], [known("o-1", "under-collected", { explained: true })]);
    expect(outcome.added.map((d) => d.orderId)).toEqual(["o-2"]);
    expect(outcome.foundAgain.map((f) => [f.known.differenceId, f.cameBack])).toEqual([["d-o-1", false]]);
    expect(outcome).toMatchObject({ balanced: false, openCount: 1, explainedCount: 1 });
    expect(settleRun([found("o-1", "under-collected")], [known("o-1", "under-collected", { explained: true })]).balanced).toBe(true);
  });

  it("the same order with another kind is another difference", () => {
    const outcome = settleRun([found("o-1", "over-collected")], [known("o-1", "under-collected", { explained: true })]);
    expect(outcome.added.map((d) => d.kind)).toEqual(["over-collected"]);
    expect(outcome.resolvedByData.map((k) => k.kind)).toEqual(["under-collected"]);
  });

  it("one no longer found is resolved by the data, once; one that comes back is found again", () => {
    expect(settleRun([], [known("o-1", "closed-without-invoice")]).resolvedByData.map((k) => k.orderId)).toEqual(["o-1"]);
    expect(settleRun([], [known("o-1", "closed-without-invoice", { resolvedByData: true })]).resolvedByData).toEqual([]);
    const back = settleRun([found("o-1", "closed-without-invoice")], [known("o-1", "closed-without-invoice", { resolvedByData: true })]);
    expect(back.foundAgain.map((f) => f.cameBack)).toEqual([true]);
    expect(back.balanced).toBe(false);
  });
});
