import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, readTopic, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt, pinduoduoOrder, postSigned, testOrderContacts, testPlatformSecrets, tmallOrder } from "../../test-fixtures.ts";

// Intake alone; marketplaces sign with the secrets of INTAKE_PLATFORM_SECRETS.
let namespace: TestNamespace;
let intake: RunningService;
const savedSecrets = process.env.INTAKE_PLATFORM_SECRETS;

beforeAll(async () => {
  namespace = await createTestNamespace();
  process.env.INTAKE_PLATFORM_SECRETS = JSON.stringify(testPlatformSecrets);
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
});

afterAll(async () => {
  if (savedSecrets === undefined) delete process.env.INTAKE_PLATFORM_SECRETS;
  else process.env.INTAKE_PLATFORM_SECRETS = savedSecrets;
  await intake?.stop();
  await namespace?.drop();
});

const post = (platform: string, body: unknown, options?: Parameters<typeof postSigned>[3]) => postSigned(intake.httpPort, platform, body, options);
const ordersOf = async (channelOrderId: string) =>
  (await intake.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE channel_order_id = $1", [channelOrderId])).rows[0]!.n;

async function publishedEventsOf(orderId: string) {
  await intake.relay.flush();
  return (await readTopic(Topics.intakeOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

describe("marketplace orders", () => {
  it("accepts a signed Tmall order with 201 and hands the canonical order over as OrderReceived, from the platform", async () => {
    const order = tmallOrder();
    const answer = await post("tmall", order, { headers: callerHeaders("staff:s-1:finance") });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ status: "received", channel: "marketplace:tmall", channelOrderId: order.tid, storeId: "store-sh-jingan", confirmedByChannel: true });

    const [event] = await publishedEventsOf(answer.body.orderId);
    if (event?.type !== EventTypes.OrderReceived) throw new Error(`expected OrderReceived, got ${event?.type}`);
    expect(event.actor).toEqual({ kind: "platform", id: "tmall", role: "platform" });
    expect(event.payload.order).toMatchObject({
      channel: "marketplace:tmall",
      channelOrderId: order.tid,
      storeId: "store-sh-jingan",
      region: "Jing'an",
      prepaid: true,
      paymentMethod: "third-party",
      confirmedByChannel: true,
      customer: { name: "", phone: "", address: { line1: "", district: "Jing'an", country: "CN" } },
      totals: { linesMinor: 45_700, grandTotalMinor: 45_700, currency: "CNY" },
    });
    expect(testOrderContacts.contactOf(event.payload.order!)).toMatchObject({ name: "zhou_lan", phone: "13800138000", line1: "88 Nanjing West Road" });
    expect(event.payload.order?.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor])).toEqual([["KETTLE-1L7", 1, 19_900], ["TOWEL-SET-4", 2, 12_900]]);
  });

  it("accepts a signed Pinduoduo order, its decimal yuan read exactly, routed to the platform's default store", async () => {
    const order = pinduoduoOrder();
    const answer = await post("pinduoduo", order);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ channel: "marketplace:pinduoduo", channelOrderId: order.order_sn, storeId: "store-sh-pudong" });
    expect(answer.body.totals).toMatchObject({ linesMinor: 19_900, shippingFeeMinor: 1_500, grandTotalMinor: 21_400 });
    const [event] = await publishedEventsOf(answer.body.orderId);
    if (event?.type !== EventTypes.OrderReceived) throw new Error(`expected OrderReceived, got ${event?.type}`);
    expect(event.payload.order).toMatchObject({ channel: "marketplace:pinduoduo", region: "Pudong", prepaid: true, confirmedByChannel: true });
  });

  it("checks a marketplace's order against the chain's list, not the own price of the store its district routes it to", async () => {
    // The platform shows one listing at the chain's price (199.00); Jing'an charges its counter customers more.
    const api = httpClient(intake.httpPort);
    const headOffice = callerHeaders("staff:sm-head:store-manager");
    const set = await api.put("/v1/stores/store-sh-jingan/prices/KETTLE-1L7", { unitPriceMinor: 23_900 }, headOffice);
    expect([200, 201]).toContain(set.status);
    try {
      const answer = await post("tmall", tmallOrder());
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ storeId: "store-sh-jingan", totals: { linesMinor: 45_700 } });
    } finally {
      const removed = await api.post("/v1/stores/store-sh-jingan/prices/KETTLE-1L7/removal", { reason: "test over" }, headOffice);
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    }
  });

  it("answers a replayed request (same body, same signature) with 200 and the same order, stored and announced once", async () => {
    const order = tmallOrder();
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await post("tmall", order, { timestamp });
    const replay = await post("tmall", order, { timestamp });
    expect([first.status, replay.status]).toEqual([201, 200]);
    expect(replay.body.orderId).toBe(first.body.orderId);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await ordersOf(order.tid)).toBe(1);
    expect(await publishedEventsOf(first.body.orderId)).toHaveLength(1);
  });

  it("refuses a wrong, missing or other platform's signature and a stale timestamp with 401, storing nothing", async () => {
    const order = tmallOrder();
    const wrongSecret = await post("tmall", order, { secret: "not-the-secret-of-tmall" });
    expect(wrongSecret).toMatchObject({ status: 401, body: { code: "platform.signature-invalid", status: 401 } });
    expect(wrongSecret.headers.get("content-type")).toContain("application/problem+json");
    expect((await post("tmall", order, { secret: testPlatformSecrets.pinduoduo })).body.code).toBe("platform.signature-invalid");
    expect((await post("tmall", order, { signature: "" })).body.code).toBe("platform.signature-missing");
    const stale = await post("tmall", order, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale).toMatchObject({ status: 401, body: { code: "platform.timestamp-stale" } });
    expect(JSON.stringify(stale.body)).not.toContain("zhou_lan");
    expect(await ordersOf(order.tid)).toBe(0);
  });

  it("refuses a body that differs from what was signed", async () => {
    const order = tmallOrder();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const { createHmac } = await import("node:crypto");
    const signature = createHmac("sha256", testPlatformSecrets.tmall).update(`${timestamp}.${JSON.stringify(order)}`).digest("hex");
    const tampered = await post("tmall", { ...order, payment: { ...order.payment, total_fee_fen: 1 } }, { timestamp: Number(timestamp), signature });
    expect(tampered).toMatchObject({ status: 401, body: { code: "platform.signature-invalid" } });
  });

  it("names the platform's own fields when they are wrong: shape, item mapping, money and the pre-check", async () => {
    const badShape = await post("tmall", tmallOrder({ orders: [{ outer_iid: "TM-600100", num: 0, price_fen: 19_900 }] }));
    expect(badShape).toMatchObject({ status: 400, body: { errors: [{ field: "orders[0].num", message: "must be at least 1" }] } });

    const unknownItem = await post("tmall", tmallOrder({ orders: [{ outer_iid: "TM-999", num: 1, price_fen: 19_900 }] }));
    expect(unknownItem.body.errors).toEqual([{ field: "orders[0].outer_iid", message: "is not an item we sell on tmall" }]);

    const wrongPrice = await post("tmall", tmallOrder({ orders: [{ outer_iid: "TM-600100", num: 1, price_fen: 100 }] }));
    expect(wrongPrice.body.errors).toEqual([{ field: "orders[0].price_fen", message: "must be 19900, the listed price" }]);

    const threeDecimals = await post("pinduoduo", pinduoduoOrder({ goods_price: "199.005" }));
    expect(threeDecimals).toMatchObject({ status: 400, body: { errors: [{ field: "goods_price", message: "must have at most 2 decimals" }] } });

    const wrongTotal = await post("pinduoduo", pinduoduoOrder({ pay_amount: "199.5" }));
    expect(wrongTotal.status).toBe(400);
    expect(wrongTotal.body.errors).toEqual([{ field: "pay_amount", message: expect.stringContaining("must be 21400") }]);

    const missing = await post("pinduoduo", { ...pinduoduoOrder(), receiver_phone: undefined });
    expect(missing.body.errors).toEqual([{ field: "receiver_phone", message: "is required" }]);

    const notJson = await post("pinduoduo", "{not json");
    expect(notJson).toMatchObject({ status: 400, body: { code: "request.invalid-json-body" } });
  });

  it("refuses a district no store of the platform serves in the platform's terms (422 when the store does not deliver there)", async () => {
    const order = tmallOrder();
    const answer = await post("tmall", { ...order, buyer: { ...order.buyer, receiver: { ...order.buyer.receiver, district: "Songjiang" } } });
    expect(answer).toMatchObject({ status: 422, body: { code: "order.out-of-scope", errors: [{ field: "buyer.receiver.district" }] } });
  });

  it("knows only its marketplaces", async () => {
    expect(await post("ebay", tmallOrder())).toMatchObject({ status: 404, body: { code: "platform.unknown" } });
  });
});

describe("a marketplace's order, by its id", () => {
  it("is reached by its own marketplace's token and answered to any other as unknown (ADR 022, twenty-fifth session)", async () => {
    const placed = await post("tmall", tmallOrder());
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const path = `/v1/orders/${placed.body.orderId}`;
    const api = httpClient(intake.httpPort);
    const other = await api.get(path, callerHeaders("platform:pinduoduo"));
    expect(other).toMatchObject({ status: 404, body: { code: "order.not-found", detail: `order ${placed.body.orderId} not found` } });
    // Fulfillment is not running here: its own marketplace gets past the gateway to be told so, not that the order is unknown.
    expect((await api.get(path, callerHeaders("platform:tmall"))).status).toBe(503);
  });
});
