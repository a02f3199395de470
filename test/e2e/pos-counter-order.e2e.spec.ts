import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicApi, walkShippedOrderToClosed, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A walk-in customer's order at the store counter (POS), through the seven services as
 * separate processes: the counter clerk enters it through the public API while the store
 * is open (the demo chain's stores are open around the clock); the customer pays at the
 * counter and confirms in person, so nobody asks again; the kettle is shipped home; the
 * people's steps follow as in goods-order-lifecycle.e2e.spec.ts, to closed.
 */
let system: SystemUnderTest;
let api: PublicApi;

const counterClerk = "staff:staff-sun-li:order-taker";
const people = {
  warehouseClerk: "staff:staff-wu-clerk:warehouse-clerk",
  rider: "staff:staff-li-wei:rider",
  customer: "customer:c-walk-in-gu",
  finance: "staff:staff-qian-fin:finance",
};

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, people.customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** What the till sends: one kettle, 199.00 + 12.00 delivery (below the free-shipping threshold), paid in cash. */
const counterOrder = (receipt: string) => ({
  channel: "pos",
  channelOrderId: receipt,
  storeId: "store-sh-jingan",
  kind: "goods",
  fulfillmentMethod: "ship",
  customer: {
    name: "Gu Ming",
    phone: "+86 137 0000 4321",
    address: { line1: "300 Changde Road", city: "Shanghai", district: "Jing'an", country: "CN" },
  },
  lines: [{ sku: "KETTLE-1L7", quantity: 1, unitPriceMinor: 19_900 }],
  totals: { discountMinor: 0, shippingFeeMinor: 1_200, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 21_100, currency: "CNY" },
  paymentMethod: "cash",
  prepaid: true,
  confirmedByCustomer: true,
  notes: "Walk-in; paid in cash at the counter",
});

describe("a counter (POS) order to closed", () => {
  it("is entered by the counter clerk for a walk-in customer, paid at the counter, shipped home, delivered, accepted and closed", async () => {
    const receipt = `POS-JA-01-${Date.now()}`;
    // The counter's channel is the clerk's: the customer, signed in or not, cannot claim it (ADR 022, twenty-sixth session).
    for (const self of [people.customer, ""]) {
      const claimed = await api.call("POST", "/v1/orders", self, counterOrder(`${receipt}-self`));
      expect(claimed).toMatchObject({ status: 400, body: { errors: [{ field: "channel" }] } });
    }
    const entered = await api.call("POST", "/v1/orders", counterClerk, counterOrder(receipt));
    expect(entered.status, JSON.stringify(entered.body)).toBe(201);
    expect(entered.body).toMatchObject({ channel: "pos", channelOrderId: receipt, confirmedByChannel: true, totals: { shippingFeeMinor: 1_200, grandTotalMinor: 21_100 } });
    const orderId = entered.body.orderId as string;
    // The till retries after a timeout: the same receipt is the same order.
    const retried = await api.call("POST", "/v1/orders", counterClerk, counterOrder(receipt));
    expect(retried).toMatchObject({ status: 200, body: { orderId } });

    const closed = await walkShippedOrderToClosed(api, orderId, people);
    expect(closed).toMatchObject({ channel: "pos", channelOrderId: receipt, status: "closed" });
    const steps = closed.timeline.map((t: { what: string }) => t.what);
    expect(steps).not.toContain("order.awaiting-confirmation");
    for (const step of ["order.received", "order.picked", "order.shipped", "delivery.recorded", "order.accepted", "order.settled", "order.closed"]) expect(steps).toContain(step);
    // Finance reads who took each step; the customer reads the store's staff in kind (ADR 022, twenty-sixth-session addendum).
    const audited = (await api.call("GET", `/v1/orders/${orderId}`, people.finance)).body;
    const who = Object.fromEntries(audited.timeline.map((t: { what: string; actor: string }) => [t.what, t.actor]));
    expect(who["order.received"]).toBe("staff:staff-sun-li");
    expect(who["order.accepted"]).toBe("customer:c-walk-in-gu");
    expect(who["order.closed"]).toBe("staff:staff-qian-fin");
    const seen = Object.fromEntries(closed.timeline.map((t: { what: string; actor: string }) => [t.what, t.actor]));
    expect([seen["order.received"], seen["order.accepted"], seen["order.closed"]]).toEqual(["store", "customer:c-walk-in-gu", "store"]);

    const { body: settlement } = await api.call("GET", `/v1/orders/${orderId}/settlement`, people.finance);
    expect(settlement).toMatchObject({ status: "paid", amountDueMinor: 21_100, amountPaidMinor: 21_100, currency: "CNY" });
  });
});
