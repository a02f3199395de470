import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { publicApi, walkShippedOrderToClosed, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * Orders from the marketplaces and from the phone desk to closed, through the seven
 * services as separate processes: Tmall and Pinduoduo push signed orders in their own
 * shapes through POST /v1/channels/{platform}/orders; an order taker records a phone
 * order and confirms it with the customer; the people's steps are the public API's, as
 * in goods-order-lifecycle.e2e.spec.ts. A large marketplace order waits for a reviewer.
 */
let system: SystemUnderTest;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;
const secrets = { tmall: `e2e-tmall-${randomUUID()}`, pinduoduo: `e2e-pinduoduo-${randomUUID()}` };

const clerk = "staff:staff-wu-clerk:warehouse-clerk";
const customer = "customer:c-zhou";
const finance = "staff:staff-qian-fin:finance";
const orderTaker = "staff:staff-sun-li:order-taker";
const reviewer = "staff:staff-he-rev:reviewer";

beforeAll(async () => {
  system = await startSystem({ INTAKE_PLATFORM_SECRETS: JSON.stringify(secrets) });
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

// The public API as the people use it (test/support/public-api.ts), once the system is up.
let api: PublicApi;
const call: PublicApi["call"] = (...args) => api.call(...args);
const until: PublicApi["until"] = (...args) => api.until(...args);

async function pushSigned(platform: keyof typeof secrets, order: unknown) {
  const raw = JSON.stringify(order);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", secrets[platform]).update(`${timestamp}.${raw}`).digest("hex");
  const response = await fetch(`${system.url}/v1/channels/${platform}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-platform-timestamp": timestamp, "x-platform-signature": signature },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const tmallOrder = (overrides: Record<string, unknown> = {}) => ({
  tid: `41${Date.now()}`,
  buyer: { nick: "zhou_lan", mobile: "13800138000", receiver: { state: "Shanghai", city: "Shanghai", district: "Jing'an", address: "88 Nanjing West Road" } },
  orders: [
    { outer_iid: "TM-600100", title: "Electric kettle", num: 1, price_fen: 19_900 },
    { outer_iid: "TM-600300", title: "Towels", num: 2, price_fen: 12_900 },
  ],
  payment: { total_fee_fen: 45_700, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
  ...overrides,
});

describe("marketplace and phone orders to closed", () => {
  it("walks a signed Tmall order (nested, fen) from the platform to closed, Tmall reporting its delivery", async () => {
    const order = tmallOrder();
    const accepted = await pushSigned("tmall", order);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body).toMatchObject({ channel: "marketplace:tmall", channelOrderId: order.tid, storeId: "store-sh-jingan", confirmedByChannel: true });
    expect((await pushSigned("tmall", order)).body.orderId).toBe(accepted.body.orderId);

    // Another marketplace does not reach it, to record its delivery or anything else (ADR 022, twenty-sixth session) ...
    const delivery = { place: "front door", method: "courier", proofKind: "signature", proofRef: "sig-elsewhere", collectedMinor: 0 };
    const elsewhere = await call("POST", `/v1/orders/${accepted.body.orderId}/delivery`, "platform:pinduoduo", delivery);
    expect(elsewhere).toMatchObject({ status: 404, body: { code: "order.not-found" } });
    // ... while Tmall reports the delivery of its own order.
    const closed = await walkShippedOrderToClosed(api, accepted.body.orderId, { warehouseClerk: clerk, rider: "platform:tmall", customer, finance }, 0);
    expect(closed).toMatchObject({ channel: "marketplace:tmall", channelOrderId: order.tid, status: "closed" });
    expect(closed.timeline.find((t: { what: string }) => t.what === "delivery.recorded")).toMatchObject({ actor: "platform:tmall" });
    const steps = closed.timeline.map((t: { what: string }) => t.what);
    for (const step of ["order.received", "order.shipped", "order.accepted", "order.settled", "order.closed"]) expect(steps).toContain(step);
  });

  it("walks a signed Pinduoduo order (flat, decimal yuan) routed to the Pudong store to closed", async () => {
    const order = {
      order_sn: `260501-${Date.now()}`,
      receiver_name: "Wang Fang",
      receiver_phone: "13900139000",
      province: "Shanghai",
      city: "Shanghai",
      town: "Pudong",
      address: "1 Century Avenue",
      goods_id: "880001",
      goods_name: "Electric kettle",
      goods_count: 1,
      goods_price: "199.00",
      pay_amount: "214.00",
      postage: "15.00",
      discount_amount: "0.00",
      confirm_time: "2026-05-01 09:00:00",
    };
    const accepted = await pushSigned("pinduoduo", order);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body).toMatchObject({ channel: "marketplace:pinduoduo", storeId: "store-sh-pudong", totals: { grandTotalMinor: 21_400 } });
    const closed = await walkShippedOrderToClosed(api, accepted.body.orderId, { warehouseClerk: clerk, rider: "staff:staff-chen-jie:rider", customer, finance }, 0);
    expect(closed).toMatchObject({ channel: "marketplace:pinduoduo", storeId: "store-sh-pudong", status: "closed" });
  });

  it("walks a phone order recorded by an order taker, confirmed with the customer, paid in cash at the door, to closed", async () => {
    const order = { ...demoOrder, channel: "phone", channelOrderId: `PHONE-${Date.now()}`, paymentMethod: "cash", prepaid: false, confirmedByCustomer: undefined };
    const accepted = await call("POST", "/v1/orders", orderTaker, order);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const orderId = accepted.body.orderId as string;
    await until(orderId, "awaiting-confirmation");
    const confirmed = await call("POST", `/v1/orders/${orderId}/confirmation`, orderTaker, { note: "Confirmed on the phone: kettle and two towel sets" });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

    const closed = await walkShippedOrderToClosed(api, orderId, { warehouseClerk: clerk, rider: "staff:staff-li-wei:rider", customer, finance }, 45_700);
    // Finance reads which order taker took it; the customer reads the store (ADR 022, twenty-sixth-session addendum).
    const audited = (await call("GET", `/v1/orders/${orderId}`, finance)).body;
    const who = Object.fromEntries(audited.timeline.map((t: { what: string; actor: string }) => [t.what, t.actor]));
    expect(who["order.received"]).toBe("staff:staff-sun-li");
    expect(closed.timeline.find((t: { what: string }) => t.what === "order.received").actor).toBe("store");
    const { body: settlement } = await call("GET", `/v1/orders/${orderId}/settlement`, finance);
    expect(settlement).toMatchObject({ status: "paid", amountPaidMinor: 45_700 });
  });

  it("keeps a large marketplace order from fulfillment until a reviewer approves it", async () => {
    const order = tmallOrder({
      tid: `41${Date.now()}9`,
      orders: [{ outer_iid: "TM-600200", title: "Rice cooker", num: 11, price_fen: 45_900 }],
      payment: { total_fee_fen: 504_900, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
    });
    const held = await pushSigned("tmall", order);
    expect(held).toMatchObject({ status: 202, body: { status: "in-review", reviewId: expect.any(String) } });
    const { orderId, reviewId } = held.body;

    // Long enough for fulfillment to have created it, had it been handed over.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await call("GET", `/v1/orders/${orderId}`, customer)).body).toMatchObject({ status: "in-review", reviewId });
    const queue = await call("GET", "/v1/reviews?storeId=store-sh-jingan", reviewer);
    expect(queue.body.reviews.map((r: { reviewId: string }) => r.reviewId)).toContain(reviewId);

    expect((await call("POST", `/v1/reviews/${reviewId}/approval`, reviewer, { note: "a canteen's order, confirmed by phone" })).status).toBe(200);
    const assigned = await until(orderId, "assigned");
    expect(assigned.timeline.map((t: { what: string }) => t.what)).toContain("order.received");
  });
});
