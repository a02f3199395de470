import { describe, expect, it } from "vitest";
import { mintCallerToken } from "@oms/identity";
import { callerHeaders, testIdentity } from "@oms/testing";
import { demoOrder } from "../../services/intake/src/test-fixtures.ts";
import { intakeInFrontOfFulfillment } from "./intake-fulfillment-fixture.ts";

// The demo order is taken for store-sh-jingan; staff whose tokens name store-sh-pudong work elsewhere.
const { world, submit, statusOf } = intakeInFrontOfFulfillment();
const outOfScope = { status: 403, body: { code: "caller.out-of-store-scope" } };

describe("store scope: staff act on their own stores' orders only", () => {
  it("shows and changes an order for its store's staff, and refuses another store's, asking fulfillment where it is served", async () => {
    const orderId = await submit({ paymentMethod: "bank-transfer", prepaid: false });
    await statusOf(orderId, "credit-checked");
    const jingan = (who: string) => callerHeaders(`${who}@store-sh-jingan`);
    const pudong = (who: string) => callerHeaders(`${who}@store-sh-pudong`);

    expect(await world.api.get(`/v1/orders/${orderId}`, jingan("staff:ot-1:order-taker"))).toMatchObject({ status: 200, body: { orderId } });
    expect(await world.api.get(`/v1/orders/${orderId}`, pudong("staff:ot-2:order-taker"))).toMatchObject(outOfScope);
    expect(await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "not ours" }, pudong("staff:ot-2:order-taker"))).toMatchObject(outOfScope);
    expect(await world.api.get(`/v1/orders/${orderId}/contact`, pudong("staff:cs-2:customer-service"))).toMatchObject(outOfScope);
    // A member of staff of both stores, and one working chain-wide, may.
    expect(await world.api.get(`/v1/orders/${orderId}`, callerHeaders("staff:sv-1:supervisor@store-sh-pudong,store-sh-jingan"))).toMatchObject({ status: 200 });
    expect(await world.api.get(`/v1/orders/${orderId}`, callerHeaders("staff:a-1:auditor"))).toMatchObject({ status: 200 });
    // Refused before anything was done: the order is as it was.
    expect((await world.api.get(`/v1/orders/${orderId}`, callerHeaders("customer:c-42"))).body.status).toBe("credit-checked");
  });

  it("lists a store's orders for its staff only, and asks them to name it", async () => {
    await submit();
    const manager = callerHeaders("staff:m-1:store-manager@store-sh-jingan");
    expect(await world.api.get("/v1/orders?storeId=store-sh-jingan", manager)).toMatchObject({ status: 200 });
    expect(await world.api.get("/v1/orders?storeId=store-sh-pudong", manager)).toMatchObject(outOfScope);
    expect(await world.api.get("/v1/orders", manager)).toMatchObject({ status: 403, body: { code: "caller.store-scope-required" } });
  });

  it("refuses an order taken for another store, storing nothing", async () => {
    const order = await demoOrder();
    const refused = await world.api.post("/v1/orders", order, callerHeaders("staff:ot-2:order-taker@store-sh-pudong"));
    expect(refused).toMatchObject(outOfScope);
    const { rows } = await world.intake.runtime.pool.query("SELECT 1 FROM orders WHERE channel_order_id = $1", [order.channelOrderId]);
    expect(rows).toHaveLength(0);
  });

  it("holds finance to the disputes of their stores' orders", async () => {
    const orderId = await submit();
    await statusOf(orderId, "credit-checked");
    const opened = await world.api.post(
      `/v1/orders/${orderId}/settlement-disputes`,
      { requestId: `scope-${orderId}`, kind: "amount", amountMinor: 1_000, statement: "charged twice for the kettle" },
      callerHeaders("staff:f-1:finance"),
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const finding = (findingId: string) => ({ findingId, finding: "one payment on our books" });
    const path = `/v1/settlement-disputes/${opened.body.disputeId}/findings`;
    expect(await world.api.post(path, finding("f-pudong"), callerHeaders("staff:f-2:finance@store-sh-pudong"))).toMatchObject(outOfScope);
    expect((await world.api.post(path, finding("f-jingan"), callerHeaders("staff:f-3:finance@store-sh-jingan"))).status).not.toBe(403);
  });

  it("refuses a member of staff whose token does not say where they work", async () => {
    const token = mintCallerToken(testIdentity.signingKey, testIdentity, { sub: "m-9", kind: "staff", role: "store-manager" });
    expect(await world.api.get("/v1/orders?storeId=store-sh-jingan", { authorization: `Bearer ${token}` })).toMatchObject({ status: 401, body: { code: "caller.malformed" } });
  });
});

describe("store scope: a force-majeure declaration is its store's", () => {
  it("is lifted by that store's managers only", async () => {
    const eventId = `typhoon-${Date.now()}`;
    const declaration = { eventId, kind: "typhoon", cause: "typhoon: roads closed", from: new Date(Date.now() - 60_000).toISOString() };
    const declared = await world.api.post("/v1/stores/store-sh-pudong/force-majeure", declaration, callerHeaders("staff:m-2:store-manager@store-sh-pudong"));
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect(await world.api.post(`/v1/force-majeure/${eventId}/lifting`, {}, callerHeaders("staff:m-1:store-manager@store-sh-jingan"))).toMatchObject(outOfScope);
    expect(await world.api.post(`/v1/force-majeure/${eventId}/lifting`, {}, callerHeaders("staff:m-2:store-manager@store-sh-pudong"))).toMatchObject({ status: 200 });
  });
});
