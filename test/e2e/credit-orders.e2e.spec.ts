import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A business customer buying on credit, through the seven services as separate processes:
 * finance assesses the customer's credit; the order taker takes their orders by phone;
 * billing decides each one held for credit by the assessment — the first
 * goes on to the warehouse with nobody deciding by hand, the one that would pass the limit is
 * cancelled with the figures — and when finance finds the credit worse, collection starts on
 * what is owed.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const orderTaker = "staff:staff-sun-li:order-taker";
const finance = "staff:staff-qian-fin:finance";
const customerId = `c-b2b-${Date.now()}`;
const customer = `customer:${customerId}`;

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** An on-credit phone order of the demo order's lines (45,700) for the business customer (confirmed with them on the call). */
async function placeOnCredit(channelOrderId: string): Promise<string> {
  const order = { ...demoOrder, channel: "phone", channelOrderId, paymentMethod: "on-credit", prepaid: false, customer: { ...(demoOrder.customer as object), customerId } };
  const placed = await api.call("POST", "/v1/orders", orderTaker, order);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  return orderId;
}

async function timelineOf(orderId: string): Promise<{ what: string; detail: string; actor: string }[]> {
  return (await api.call("GET", `/v1/orders/${orderId}`, finance)).body.timeline;
}

describe("orders bought on credit", () => {
  it("go on within the customer's limit, are refused past it, and are collected once the credit worsens", async () => {
    const assessed = await api.call("POST", `/v1/customers/${customerId}/credit-assessments`, finance, {
      rating: "good",
      limitMinor: 60_000,
      currency: "CNY",
      termsDays: 30,
      reason: "a year of paying on time",
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);

    const first = await placeOnCredit(`PHONE-CREDIT-1-${Date.now()}`);
    // Billing approves it by the assessment: on to the warehouse, no clerk asked.
    const reserved = await eventually(async () => {
      const timeline = await timelineOf(first);
      return timeline.some((t) => t.what === "order.credit-checked") ? timeline : undefined;
    }, 30_000, 250);
    expect(reserved.find((t) => t.what === "credit.approved")).toMatchObject({ actor: "system:billing", detail: "within the credit limit: 45700 of 60000 CNY owed, 30 days to pay" });

    const second = await placeOnCredit(`PHONE-CREDIT-2-${Date.now()}`);
    const cancelled = await api.until(second, "cancelled");
    // The customer is told the cancellation's reason code in their words; finance reads billing's reason (ADR 022, twenty-seventh-session addendum).
    expect(cancelled.timeline.find((t: { what: string }) => t.what === "order.cancellation")?.detail).toBe("cancelled: the order could not be taken on credit");
    expect((await timelineOf(second)).find((t) => t.what === "order.cancelled")?.detail).toBe(
      "credit refused: over the credit limit: 45700 owed and this order's 45700 exceed 60000 CNY",
    );

    const worse = await api.call("POST", `/v1/customers/${customerId}/credit-assessments`, finance, { rating: "poor", reason: "two invoices 60 days overdue" });
    expect(worse.status, JSON.stringify(worse.body)).toBe(201);
    expect(worse.body.openOrders).toEqual([expect.objectContaining({ orderId: first, decision: "approved", collectionStartedAt: expect.any(String) })]);
    const collecting = await eventually(async () => (await timelineOf(first)).find((t) => t.what === "collection.started"), 30_000, 250);
    expect(collecting.detail).toBe("45700 CNY owed: credit worsened: two invoices 60 days overdue");
  });
});
