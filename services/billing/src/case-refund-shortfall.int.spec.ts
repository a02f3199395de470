import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { publishEvents, readTopic } from "@oms/testing";
import { type BillingUnderTest, consumed, orderCancelled, orderCreated, payLater, prepaidWebsite, settlementRequested, startTestBilling } from "./test-fixtures.ts";

// A resolved case's refund that fell short is announced (CaseRefundShortfall, ADR 017
// addendum), once, with the figures and billing's reason; a case refunded in full announces none.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const agent = { kind: "staff" as const, id: "cs-li", role: "customer-service" };
const resolved = (orderId: string, caseId: string, refundMinor: number) =>
  newEvent(EventTypes.CaseResolved, { caseId, kind: "return", resolution: "kettle taken back", cause: "product", refundMinor }, { producer: "after-sales", orderId, storeId: "store-test", actor: agent });

/** Billing's events about the order, as published, in order. */
async function announcedOf(orderId: string): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.flatMap((m) => (m.value ? [decodeEvent(m.value)] : [])).filter((e): e is OrderEvent => !!e && e.orderId === orderId);
}

const shortfallsOf = (events: OrderEvent[]) => events.filter((e) => e.type === EventTypes.CaseRefundShortfall);

async function settled(orderId: string, shape = prepaidWebsite): Promise<void> {
  const request = settlementRequested(orderId, shape);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, shape), request]);
  await consumed(under.billing.runtime.pool, request);
}

describe("a resolved case's refund that fell short", () => {
  it("is announced once, after the refund, with what was named, what went back and why; a case refunded in full announces none", async () => {
    const orderId = randomUUID();
    await settled(orderId);
    const whole = resolved(orderId, `case-${randomUUID()}`, 4_000);
    // 10,800 paid, 4,000 back for the first case: the second names 9,000, 6,800 are left.
    const short = resolved(orderId, `case-${randomUUID()}`, 9_000);
    const heardAgain = { ...short, eventId: randomUUID() };
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [whole, short, short, heardAgain]);
    await consumed(under.billing.runtime.pool, whole, short, heardAgain);

    const events = await announcedOf(orderId);
    const shortfalls = shortfallsOf(events);
    expect(shortfalls).toHaveLength(1);
    expect(shortfalls[0]).toMatchObject({
      storeId: "store-test",
      producer: "billing",
      actor: { kind: "staff", id: "cs-li" },
      correlationId: short.correlationId,
      causationId: short.eventId,
      payload: {
        caseId: short.payload.caseId,
        requested: { minor: 9_000, currency: "CNY" },
        refunded: { minor: 6_800, currency: "CNY" },
        reason: "already refunded: 4000 of the 10800 paid went back before, 6800 was left",
      },
    });
    // In the refund's own transaction, after it: the case's refunds are on the topic before its shortfall.
    const refundsOfShort = events.filter((e) => e.type === EventTypes.RefundIssued && e.payload.reference === `after-sales:${short.payload.caseId}`);
    expect(refundsOfShort.map((e) => (e.type === EventTypes.RefundIssued ? e.payload.amount?.minor : 0))).toEqual([6_800]);
    expect(events.indexOf(shortfalls[0]!)).toBeGreaterThan(events.indexOf(refundsOfShort[0]!));
    expect(shortfalls.some((e) => e.type === EventTypes.CaseRefundShortfall && e.payload.caseId === whole.payload.caseId)).toBe(false);
  });

  it("says nothing was paid yet for an order not paid, and for an order billing holds nothing of (no currency known)", async () => {
    const unpaidOrder = randomUUID();
    await settled(unpaidOrder, payLater);
    const unpaid = resolved(unpaidOrder, `case-${randomUUID()}`, 2_000);
    const unknownOrder = randomUUID();
    const unknown = resolved(unknownOrder, `case-${randomUUID()}`, 1_500);
    // Each case heard again under another event id (a republished resolution): nothing was
    // refunded, so no refund reference tells it was heard; the recorded shortfall does.
    const heardAgain = [unpaid, unknown].map((event) => ({ ...event, eventId: randomUUID() }));
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [unpaid, unknown, ...heardAgain]);
    await consumed(under.billing.runtime.pool, unpaid, unknown, ...heardAgain);

    expect(shortfallsOf(await announcedOf(unpaidOrder)).map((e) => e.payload)).toEqual([
      { caseId: unpaid.payload.caseId, requested: { minor: 2_000, currency: "CNY" }, refunded: { minor: 0, currency: "CNY" }, reason: "nothing paid on the order yet" },
    ]);
    expect(shortfallsOf(await announcedOf(unknownOrder)).map((e) => e.payload)).toEqual([
      { caseId: unknown.payload.caseId, requested: { minor: 1_500, currency: "" }, refunded: { minor: 0, currency: "" }, reason: "nothing paid on the order yet" },
    ]);
  });

  it("says the money already went back when a cancellation refunded it all", async () => {
    const orderId = randomUUID();
    await settled(orderId);
    const cancelled = orderCancelled(orderId, true);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);
    const afterCancel = resolved(orderId, `case-${randomUUID()}`, 3_000);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [afterCancel]);
    await consumed(under.billing.runtime.pool, afterCancel);
    expect(shortfallsOf(await announcedOf(orderId)).map((e) => e.payload)).toEqual([
      {
        caseId: afterCancel.payload.caseId,
        requested: { minor: 3_000, currency: "CNY" },
        refunded: { minor: 0, currency: "CNY" },
        reason: "already refunded: 10800 of the 10800 paid went back before, 0 was left",
      },
    ]);
  });
});
