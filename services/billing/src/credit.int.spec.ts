import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { type BillingUnderTest, clerk, consumed, heldForCredit, orderCancelled, payOnCredit, settlementRequested, startTestBilling } from "./test-fixtures.ts";

let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

function assess(customerId: string, rating: "good" | "poor", limitMinor = 0, termsDays = 0, reason = "payment history reviewed") {
  return under.commands.assessCredit({ customerId, rating, limit: { minor: limitMinor, currency: "CNY" }, termsDays, reason, ...clerk });
}

async function billingEvents(type: string, orderIds: readonly string[]) {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e) => e?.type === type && orderIds.includes(e.orderId));
}

/** Billing's decisions on these orders, once it has made one on each. */
async function decisionsOn(...orderIds: string[]) {
  return eventually(async () => {
    const decided = await billingEvents(EventTypes.CreditDecided, orderIds);
    return decided.length >= orderIds.length ? orderIds.map((id) => decided.find((e) => e?.orderId === id)!.payload as { approved: boolean; reason: string }) : undefined;
  });
}

describe("credit decided by the customer's assessment", () => {
  it("approve on-credit orders within the limit, counting what the customer owes, and refuse the one that would exceed it", async () => {
    const customerId = `c-${randomUUID()}`;
    await assess(customerId, "good", 30_000, 30);
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(first, customerId, 12_000));
    expect(await decisionsOn(first)).toMatchObject([{ approved: true, reason: "within the credit limit: 12000 of 30000 CNY owed, 30 days to pay" }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(second, customerId, 12_000));
    expect(await decisionsOn(second)).toMatchObject([{ approved: true, reason: "within the credit limit: 24000 of 30000 CNY owed, 30 days to pay" }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(third, customerId, 6_001));
    expect(await decisionsOn(third)).toEqual([
      {
        customerId,
        approved: false,
        reason: "over the credit limit: 24000 owed and this order's 6001 exceed 30000 CNY",
        limit: { minor: 30_000, currency: "CNY" },
        exposure: { minor: 24_000, currency: "CNY" },
        termsDays: 30,
      },
    ]);

    // A clerk had approved the third by hand before billing's refusal arrived: fulfillment kept the
    // clerk's decision and the order went on to its settlement, so it is owed all the same.
    const settlingThird = settlementRequested(third, payOnCredit);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settlingThird]);
    await consumed(under.billing.runtime.pool, settlingThird);
    expect((await under.query.getCustomerCredit({ customerId })).exposure).toEqual({ minor: 24_000 + 10_800, currency: "CNY" });
    const credit = await under.query.getCustomerCredit({ customerId });
    expect(credit.current).toMatchObject({ rating: "good", limit: { minor: 30_000 }, termsDays: 30, assessedBy: "staff:staff-fin" });
    expect(credit.openOrders.map((o) => [o.orderId, o.decision]).sort()).toEqual(
      [
        [first, "approved"],
        [second, "approved"],
        [third, "approved"],
      ].sort(),
    );
  });

  it("count an order no longer once it is cancelled, and refuse every order of a customer with poor credit", async () => {
    const customerId = `c-${randomUUID()}`;
    await assess(customerId, "good", 10_000, 15);
    const [kept, cancelled] = [randomUUID(), randomUUID()];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [...heldForCredit(cancelled, customerId, 9_000), orderCancelled(cancelled, false)]);
    await eventually(async () => ((await under.query.getCustomerCredit({ customerId })).openOrders.length === 0 ? true : undefined));
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(kept, customerId, 9_000));
    expect(await decisionsOn(kept)).toMatchObject([{ approved: true }]);

    const poorCustomer = `c-${randomUUID()}`;
    await assess(poorCustomer, "poor", 0, 0, "cheques bounced twice");
    const refused = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(refused, poorCustomer, 100));
    expect(await decisionsOn(refused)).toMatchObject([{ approved: false, reason: "poor credit: the customer pays in advance or on delivery" }]);
  });

  it("leave a customer never assessed to a finance clerk", async () => {
    const unassessed = randomUUID();
    const assessedLater = randomUUID();
    const customerId = `c-${randomUUID()}`;
    const held = [...heldForCredit(unassessed, customerId, 100), ...heldForCredit(assessedLater, `c-${randomUUID()}`, 100)];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, held);
    await consumed(under.billing.runtime.pool, ...held);
    await assess(customerId, "good", 1_000, 30);
    // A later order of an assessed customer is decided; the one held before the assessment was not.
    const after = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(after, customerId, 100));
    await decisionsOn(after);
    expect(await billingEvents(EventTypes.CreditDecided, [unassessed, assessedLater])).toEqual([]);
    // A clerk approves the first by hand: it goes on to its settlement, and counts as owed on credit granted.
    const settling = settlementRequested(unassessed, payOnCredit);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settling]);
    await consumed(under.billing.runtime.pool, settling);
    const credit = await under.query.getCustomerCredit({ customerId });
    expect(credit.openOrders.find((o) => o.orderId === unassessed)).toMatchObject({ decision: "approved", outstanding: { minor: 10_800 } });
    expect(credit.exposure?.minor).toBe(10_800 + 100);
  });
});

describe("credit worsening during execution", () => {
  it("start collection once on what the customer owes on orders in execution, and leave orders waiting for credit waiting", async () => {
    const customerId = `c-${randomUUID()}`;
    await assess(customerId, "good", 50_000, 30);
    const [inExecution, waiting] = [randomUUID(), randomUUID()];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heldForCredit(inExecution, customerId, 20_000));
    await decisionsOn(inExecution);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [heldForCredit(waiting, customerId, 5_000)[0]!]);
    await eventually(async () => ((await under.query.getCustomerCredit({ customerId })).openOrders.length === 2 ? true : undefined));

    const worse = await assess(customerId, "good", 10_000, 30, "late on the last two invoices");
    expect(worse.openOrders.find((o) => o.orderId === inExecution)?.collectionStartedAt).not.toBe("");
    expect(worse.openOrders.find((o) => o.orderId === waiting)?.collectionStartedAt).toBe("");
    await assess(customerId, "poor", 0, 0, "stopped paying");
    const started = await billingEvents(EventTypes.CollectionStarted, [inExecution, waiting]);
    expect(started.map((e) => [e?.orderId, e?.payload])).toEqual([
      [inExecution, { customerId, outstanding: { minor: 20_000, currency: "CNY" }, reason: "credit worsened: late on the last two invoices" }],
    ]);
    expect((await under.query.getCustomerCredit({ customerId })).history.map((h) => h.rating)).toEqual(["poor", "good", "good"]);
  });

  it("let only a finance clerk assess, and name what is wrong with an assessment", async () => {
    await expect(under.commands.assessCredit({ customerId: "c-1", rating: "good", limit: { minor: 1_000, currency: "CNY" }, termsDays: 30, reason: "x", callerKind: "staff", callerId: "s-1", callerRole: "store-manager" })).rejects.toMatchObject({
      code: "credit.by-finance",
    });
    await expect(assess("c-1", "good", 0, 0)).rejects.toMatchObject({ code: "validation.failed", message: expect.stringContaining("limit") });
    // The same assessment again, a retry after a lost answer: kept once.
    const customerId = `c-${randomUUID()}`;
    await assess(customerId, "good", 5_000, 30);
    expect((await assess(customerId, "good", 5_000, 30)).history).toHaveLength(1);
    await expect(under.query.getCustomerCredit({ customerId: " " })).rejects.toMatchObject({ code: "validation.failed" });
  });
});
