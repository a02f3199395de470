import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { type BillingUnderTest, byFulfillment, clerk, consumed, customer, orderCancelled, orderCreated, payLater, prepaidWebsite, settlementRequested, startTestBilling, tmall, totals } from "./test-fixtures.ts";

let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

async function refundEventsOf(orderId: string) {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId && e.type === EventTypes.RefundIssued);
}

describe("refunds on cancellation", () => {
  it("refund a cancelled prepaid order exactly its payment, once, however often the cancellation arrives", async () => {
    const orderId = randomUUID();
    const cancelled = orderCancelled(orderId, true);
    // The same event twice (a redelivery), then the cancellation heard again under a new id.
    const heardAgain = orderCancelled(orderId, true);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite), cancelled, cancelled, heardAgain]);
    await consumed(under.billing.runtime.pool, cancelled, heardAgain);

    const view = await under.query.listRefunds({ orderId });
    expect(view.paidTotal).toEqual({ minor: 10_800, currency: "CNY" });
    expect(view.refundedTotal).toEqual({ minor: 10_800, currency: "CNY" });
    expect(view.refunds).toHaveLength(1);
    expect(view.refunds[0]).toMatchObject({
      amount: { minor: 10_800, currency: "CNY" },
      method: "third-party",
      source: "prepayment",
      trigger: "cancellation",
      reason: "order cancelled: customer changed their mind",
      issuedBy: "customer:cust-7",
      reference: `cancellation:${cancelled.eventId}`,
    });
    const announced = await refundEventsOf(orderId);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.payload).toMatchObject({ refundId: view.refunds[0]!.refundId, amount: { minor: 10_800 }, refundedTotal: { minor: 10_800 }, paidTotal: { minor: 10_800 } });
  });

  it("record a marketplace order's refund for the platform to make, even when no settlement exists yet", async () => {
    const orderId = randomUUID();
    const cancelled = orderCancelled(orderId, true);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, tmall), cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);

    const view = await under.query.listRefunds({ orderId });
    expect(view.refunds).toMatchObject([{ amount: { minor: 10_800 }, method: "marketplace", trigger: "cancellation" }]);
    expect((await refundEventsOf(orderId)).map((e) => e?.payload)).toMatchObject([{ method: "marketplace", amount: { minor: 10_800 } }]);
  });

  it("refund what finance recorded as paid, though fulfillment thought no refund was due", async () => {
    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), settlementRequested(orderId, payLater)]);
    await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    await under.commands.confirmPayment({ orderId, amount: { minor: 3_000, currency: "CNY" }, method: "bank-transfer", reference: "BANK-9", ...clerk });
    const cancelled = orderCancelled(orderId, false);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);

    const view = await under.query.listRefunds({ orderId });
    expect(view.paidTotal?.minor).toBe(3_000);
    expect(view.refunds).toMatchObject([{ amount: { minor: 3_000 }, method: "bank-transfer", trigger: "cancellation" }]);
  });

  it("issue nothing for a cancelled order that took no money", async () => {
    const orderId = randomUUID();
    const cancelled = orderCancelled(orderId, false);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), settlementRequested(orderId, payLater), cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);

    expect(await under.query.listRefunds({ orderId })).toMatchObject({ paidTotal: { minor: 0 }, refundedTotal: { minor: 0 }, refunds: [] });
    expect(await refundEventsOf(orderId)).toHaveLength(0);
  });
});

describe("refunds of a cheaper substitute's price difference", () => {
  const substituted = (orderId: string, refundDueMinor: number) =>
    newEvent(
      EventTypes.OrderLinesSubstituted,
      { substitutions: [{ sku: "KETTLE-1L7", substituteSku: "KETTLE-1L0", quantity: 1 }], lines: [], totals, refundDueMinor, absorbedMinor: 0 },
      byFulfillment(orderId, customer),
    );

  it("return the difference a prepaid customer paid, once, and only what is left on a later cancellation", async () => {
    const orderId = randomUUID();
    const difference = substituted(orderId, 3_000);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, prepaidWebsite), difference, difference]);
    await consumed(under.billing.runtime.pool, difference);
    const cancelled = orderCancelled(orderId, true);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);

    const refunds = (await under.query.listRefunds({ orderId })).refunds;
    expect(refunds.map((r) => [r.amount?.minor, r.trigger])).toEqual([
      [3_000, "substitution"],
      [totals.grandTotalMinor - 3_000, "cancellation"],
    ]);
    expect(refunds[0]!.reason).toBe("cheaper substitute: KETTLE-1L7 → KETTLE-1L0");
  });

  it("owe a pay-later customer nothing back: they pay the new total", async () => {
    const orderId = randomUUID();
    const difference = substituted(orderId, 3_000);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), settlementRequested(orderId, payLater), difference]);
    await consumed(under.billing.runtime.pool, difference);
    expect((await under.query.listRefunds({ orderId })).refunds).toEqual([]);
  });
});

describe("refunds of resolved after-sales cases", () => {
  const agent = { kind: "staff" as const, id: "cs-li", role: "customer-service" };
  const resolved = (orderId: string, caseId: string, refundMinor: number) =>
    newEvent(
      EventTypes.CaseResolved,
      { caseId, kind: "return", resolution: "kettle taken back", cause: "product", refundMinor },
      { producer: "after-sales", orderId, storeId: "store-test", actor: agent },
    );

  it("refund what the case names, once under its id however often it is heard, and only what is left for a second case", async () => {
    const orderId = randomUUID();
    const request = settlementRequested(orderId, prepaidWebsite);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, prepaidWebsite), request]);
    await consumed(under.billing.runtime.pool, request);
    const returned = resolved(orderId, "case-1", 4_000);
    const heardAgain = { ...returned, eventId: randomUUID() };
    // A second case names more than is left of the 10,800 paid: billing pays back what it holds.
    const second = resolved(orderId, "case-2", 9_000);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [returned, returned, heardAgain, second]);
    await consumed(under.billing.runtime.pool, returned, heardAgain, second);

    const view = await under.query.listRefunds({ orderId });
    expect(view.refunds.map((r) => [r.amount?.minor, r.trigger, r.reference, r.issuedBy])).toEqual([
      [4_000, "after-sales", "after-sales:case-1", "staff:cs-li"],
      [6_800, "after-sales", "after-sales:case-2", "staff:cs-li"],
    ]);
    expect(view.refunds[0]!.reason).toBe("after-sales return case-1: kettle taken back");
    const announced = await refundEventsOf(orderId);
    expect(announced.map((e) => [e?.correlationId, (e?.payload as { trigger: string }).trigger])).toEqual([
      [returned.correlationId, "after-sales"],
      [second.correlationId, "after-sales"],
    ]);
  });

  it("refund nothing for a case without money, nor for an order that has paid nothing yet", async () => {
    const orderId = randomUUID();
    const request = settlementRequested(orderId, payLater);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), request]);
    await consumed(under.billing.runtime.pool, request);
    const noMoney = resolved(orderId, "case-3", 0);
    const unpaid = resolved(orderId, "case-4", 2_000);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [noMoney, unpaid]);
    await consumed(under.billing.runtime.pool, unpaid);
    expect((await under.query.listRefunds({ orderId })).refunds).toEqual([]);
  });
});

describe("refunds by a finance clerk", () => {
  async function prepaidOrder(): Promise<string> {
    const orderId = randomUUID();
    const request = settlementRequested(orderId, prepaidWebsite);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, prepaidWebsite), request]);
    await consumed(under.billing.runtime.pool, request);
    return orderId;
  }

  it("grant a partial refund once per reference and refuse one beyond what is left", async () => {
    const orderId = await prepaidOrder();
    const refund = { orderId, amountMinor: 800, reason: "price difference of substitute SKU-2", reference: "TICKET-1", ...clerk };
    const first = await under.commands.issueRefund(refund);
    const retried = await under.commands.issueRefund(refund);
    expect(first.refunds).toMatchObject([{ amount: { minor: 800 }, method: "third-party", trigger: "finance", issuedBy: "staff:staff-fin", reason: refund.reason }]);
    expect(retried.refunds).toHaveLength(1);
    // Another refund under the same reference would be taken for the first and never issued: refused.
    await expect(under.commands.issueRefund({ ...refund, amountMinor: 900 })).rejects.toMatchObject({ code: "refund.reference-reused" });
    await expect(under.commands.issueRefund({ ...refund, reason: "goodwill" })).rejects.toMatchObject({ code: "refund.reference-reused" });

    await expect(under.commands.issueRefund({ ...refund, reference: "TICKET-2", amountMinor: 10_001 })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("10800 paid, 800 already refunded, 10000 left to refund"),
    });
    const rest = await under.commands.issueRefund({ ...refund, reference: "TICKET-3", amountMinor: 10_000, reason: "goodwill: late delivery" });
    expect(rest.refundedTotal?.minor).toBe(10_800);

    // Cancelled afterwards: nothing is left to give back.
    const cancelled = orderCancelled(orderId, true);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);
    expect((await under.query.listRefunds({ orderId })).refunds.map((r) => r.amount?.minor)).toEqual([800, 10_000]);
    expect(await refundEventsOf(orderId)).toHaveLength(2);
  });

  it("let only one of two clerks refunding at once take the last money", async () => {
    const orderId = await prepaidOrder();
    const attempts = await Promise.allSettled(
      ["A", "B"].map((who) => under.commands.issueRefund({ orderId, amountMinor: 6_000, reason: "goodwill", reference: `TICKET-${who}`, ...clerk })),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(attempts.find((a) => a.status === "rejected")).toMatchObject({ reason: { kind: "illegal-state" } });
    expect((await under.query.listRefunds({ orderId })).refundedTotal?.minor).toBe(6_000);
  });

  it("refuse an unknown order, a caller who is not finance, and bad fields by name", async () => {
    const refund = { orderId: randomUUID(), amountMinor: 100, reason: "goodwill", reference: "T", ...clerk };
    await expect(under.commands.issueRefund(refund)).rejects.toMatchObject({ kind: "not-found" });
    await expect(under.query.listRefunds({ orderId: refund.orderId })).rejects.toMatchObject({ kind: "not-found" });
    await expect(under.commands.issueRefund({ ...refund, callerRole: "order-taker" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(under.commands.issueRefund({ ...refund, callerId: "" })).rejects.toMatchObject({ kind: "unauthenticated" });
    await expect(under.commands.issueRefund({ ...refund, amountMinor: 0, reason: "", reference: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [
        { field: "amountMinor", message: "must be a positive integer of minor units" },
        { field: "reason", message: "is required (why the money goes back)" },
        { field: "reference", message: "is required (ticket or voucher; makes a retry harmless)" },
      ],
    });
  });
});
