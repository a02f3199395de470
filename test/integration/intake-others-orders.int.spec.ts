import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerHeaders, eventually } from "@oms/testing";
import { demoOrder, expectProblem, postSigned, withTestPlatformSecrets, tmallOrder, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { delivery, intakeInFrontOfFulfillment, rider } from "./intake-fulfillment-fixture.ts";

// ADR 022, twenty-fifth-session addendum: an order is reached through the gateway by its own
// customer (an account's by that account; a guest order's by whoever holds its id, the receipt)
// or its own marketplace; anyone else is answered as for an order nobody placed, and nothing is written.
// Marketplaces push signed orders (INTAKE_PLATFORM_SECRETS), read when intake starts below.
withTestPlatformSecrets();
const { world, shipped } = intakeInFrontOfFulfillment();

const owner = callerHeaders("customer:c-owner");
const intruder = callerHeaders("customer:c-intruder");
const anonymous = {};
const marketplace = callerHeaders("platform:tmall");

async function placedBy(customerId: string | undefined): Promise<string> {
  const demo = await demoOrder({ confirmedByCustomer: false });
  const customer = { ...(demo.customer as object), ...(customerId ? { customerId } : {}) };
  const as = customerId ? callerHeaders(`customer:${customerId}`) : anonymous;
  const answer = await world.api.post("/v1/orders", { ...demo, customer }, as);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const orderId = answer.body.orderId as string;
  // Fulfillment has taken it over: what the steps below are refused is never "not yet".
  await eventually(async () => ((await world.api.get(`/v1/orders/${orderId}`, as)).body.status === "awaiting-confirmation" ? true : undefined));
  return orderId;
}

/** Every route a customer may take on an order by its id; a marketplace only the first three (the role table refuses it the rest). */
function everyStepOn(orderId: string, as: Record<string, string>): (() => Promise<HttpAnswer>)[] {
  const steps = [
    () => world.api.get(`/v1/orders/${orderId}`, as),
    () => world.api.post(`/v1/orders/${orderId}/confirmation`, { note: "yes" }, as),
    () => world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "not mine, but why not" }, as),
    () => world.api.post(`/v1/orders/${orderId}/acceptance`, undefined, as),
    () => world.api.post(`/v1/orders/${orderId}/rejection`, { reason: "never wanted it" }, as),
    () => world.api.post(`/v1/orders/${orderId}/shortage-choice`, { choice: "cancel" }, as),
  ];
  return as === marketplace ? steps.slice(0, 3) : steps;
}

const expectUnknown = (orderId: string) => (answer: HttpAnswer) => {
  expectProblem(answer, 404, "order.not-found");
  // Word for word as for an order nobody placed: a caller learns nothing of whether it exists.
  expect(answer.body.detail).toBe(`order ${orderId} not found`);
};

describe("intake: an order is reached only by its own customer or marketplace", () => {
  it("answers another account's order as unknown, to another customer and to the anonymous caller, and changes nothing", async () => {
    const orderId = await placedBy("c-owner");
    for (const caller of [intruder, anonymous, marketplace]) {
      for (const step of everyStepOn(orderId, caller)) expectUnknown(orderId)(await step());
    }
    const after = await world.api.get(`/v1/orders/${orderId}`, owner);
    expect(after).toMatchObject({ status: 200, body: { status: "awaiting-confirmation" } });
    expect(after.body.timeline.map((t: { actor: string }) => t.actor)).not.toContain("customer:c-intruder");
    // The owner still takes their steps; staff are held by their role and store scope, as before.
    expect(await world.api.post(`/v1/orders/${orderId}/confirmation`, undefined, owner)).toMatchObject({ status: 200 });
    expect((await world.api.get(`/v1/orders/${orderId}`, callerHeaders("staff:cs-1:customer-service"))).status).toBe(200);
  });

  it("answers an unknown order the same way, so a guessed id tells nothing", async () => {
    const unknown = "00000000-0000-4000-8000-00000000beef";
    for (const step of everyStepOn(unknown, intruder)) expectUnknown(unknown)(await step());
  });

  it("keeps a guest order reachable with its id, its receipt, but not by a marketplace it did not come from", async () => {
    const orderId = await placedBy(undefined);
    expect((await world.api.get(`/v1/orders/${orderId}`, anonymous)).status).toBe(200);
    expect((await world.api.get(`/v1/orders/${orderId}`, intruder)).status).toBe(200);
    for (const step of everyStepOn(orderId, marketplace)) expectUnknown(orderId)(await step());
    expect(await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "changed my mind" }, anonymous)).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

});

describe("intake: a platform records a delivery only on an order that came in on it", () => {
  const pinduoduo = callerHeaders("platform:pinduoduo");

  async function tmallOrderShipped(): Promise<string> {
    const pushed = await postSigned(world.intake.httpPort, "tmall", tmallOrder());
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const orderId = pushed.body.orderId as string;
    await shipped(orderId);
    return orderId;
  }

  it("answers another channel's order, and another marketplace's, as unknown, whatever was collected, and records nothing", async () => {
    const websiteOrder = await placedBy(undefined);
    const tmalls = await tmallOrderShipped();
    for (const [orderId, as] of [[websiteOrder, marketplace], [tmalls, pinduoduo]] as const) {
      // Money said to be collected is not checked against a settlement the caller may not know of.
      for (const collectedMinor of [0, 99_999_999]) expectUnknown(orderId)(await world.api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, collectedMinor }, as));
    }
    expect((await world.api.get(`/v1/orders/${tmalls}`, marketplace)).body).toMatchObject({ status: "shipped" });
    // Staff are held by their role and store scope, not by this: the rider delivers the website order.
    expect((await world.api.post(`/v1/orders/${websiteOrder}/confirmation`, undefined, anonymous)).status).toBe(200);
    await shipped(websiteOrder);
    expect(await world.api.post(`/v1/orders/${websiteOrder}/delivery`, delivery, rider)).toMatchObject({ status: 200, body: { status: "delivered" } });
  });

  it("lets a marketplace record the delivery of its own order", async () => {
    const orderId = await tmallOrderShipped();
    const delivered = await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, marketplace);
    expect(delivered, JSON.stringify(delivered.body)).toMatchObject({ status: 200, body: { status: "delivered" } });
    expect(delivered.body.timeline.at(-1)).toMatchObject({ actor: "platform:tmall", what: expect.stringContaining("deliver") });
  });
});

describe("intake: an order is confirmed with the customer by the desk that speaks for them, no other staff", () => {
  it("refuses staff of a role that does not, naming who may, and leaves the order unconfirmed; an order taker confirms it", async () => {
    const orderId = await placedBy("c-owner");
    for (const role of ["warehouse-clerk", "rider", "finance", "auditor", "dispatcher", "reviewer"]) {
      const refused = await world.api.post(`/v1/orders/${orderId}/confirmation`, { note: "yes" }, callerHeaders(`staff:x-1:${role}@store-sh-jingan`));
      expectProblem(refused, 403, "caller.not-permitted");
      expect(refused.body.detail).toContain(`may confirm order; the caller is staff with role ${role}`);
    }
    expect((await world.api.get(`/v1/orders/${orderId}`, owner)).body.status).toBe("awaiting-confirmation");
    const confirmed = await world.api.post(`/v1/orders/${orderId}/confirmation`, { note: "confirmed on the phone" }, callerHeaders("staff:ot-1:order-taker@store-sh-jingan"));
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  });
});

describe("intake: an order is cancelled by the customer or the desk that speaks for them, and others are told so before it is looked up", () => {
  it("refuses staff of another role alike for an order that exists and one nobody placed, naming who may; the order stays as it was", async () => {
    const orderId = await placedBy("c-owner");
    for (const id of [orderId, randomUUID()]) {
      for (const role of ["rider", "warehouse-clerk", "finance", "auditor"]) {
        const refused = await world.api.post(`/v1/orders/${id}/cancellation`, { reason: "not wanted" }, callerHeaders(`staff:x-1:${role}`));
        expectProblem(refused, 403, "caller.not-permitted");
        expect(refused.body.detail).toContain(`may cancel order; the caller is staff with role ${role}`);
      }
    }
    expect((await world.api.get(`/v1/orders/${orderId}`, owner)).body.status).toBe("awaiting-confirmation");
    expect((await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "the customer called" }, callerHeaders("staff:cs-1:customer-service"))).status).toBe(200);
  });
});

describe("intake: a signed-in customer orders as themself", () => {
  it("refuses an order naming another customer's id, field by field, and writes nothing; staff name whom they take it for", async () => {
    const demo = await demoOrder();
    const victim = `c-victim-${Date.now()}`;
    const asSomeoneElse = { ...demo, customer: { ...(demo.customer as object), customerId: victim } };
    const refused = await world.api.post("/v1/orders", asSomeoneElse, intruder);
    expectProblem(refused, 400);
    expect(refused.body.errors).toEqual([{ field: "customer.customerId", message: expect.stringContaining("your own") }]);
    const desk = callerHeaders("staff:cs-1:customer-service");
    expect((await world.api.get(`/v1/customers/${victim}/orders`, desk)).body.orders).toEqual([]);

    // Their own id, or none (a guest order), is taken as before; an order taker records the customer they answer for.
    expect((await world.api.post("/v1/orders", { ...asSomeoneElse, customer: { ...(demo.customer as object), customerId: "c-intruder" } }, intruder)).status).toBe(201);
    expect((await world.api.post("/v1/orders", { ...asSomeoneElse, channelOrderId: `${demo.channelOrderId}-desk` }, callerHeaders("staff:s-7:order-taker"))).status).toBe(201);
  });
});

describe("intake: orders on the store channels are taken by staff", () => {
  const storedOrders = async (channelOrderId: string) =>
    (await world.intake.runtime.pool.query("SELECT 1 FROM orders WHERE channel_order_id = $1", [channelOrderId])).rows.length;

  it("refuses a customer's own order, signed in or not, on the counter's or the order takers' channels, naming the channel and writing nothing", async () => {
    for (const [as, customerId] of [[anonymous, undefined], [owner, "c-owner"]] as const) {
      for (const channel of ["pos", "phone", "email"]) {
        const demo = await demoOrder({ channel, paymentMethod: "cash", prepaid: false });
        const order = { ...demo, customer: { ...(demo.customer as object), ...(customerId ? { customerId } : {}) } };
        const refused = await world.api.post("/v1/orders", order, as);
        expectProblem(refused, 400);
        expect(refused.body.errors).toEqual([{ field: "channel", message: `${channel} orders are taken by the store's staff; a customer's own order is placed on website, app, social` }]);
        expect(await storedOrders(demo.channelOrderId)).toBe(0);
      }
    }
  });

  it("takes them from the store's order taker, for the customer they answer, and a customer's own on the online channels", async () => {
    const orderTaker = callerHeaders("staff:ot-1:order-taker@store-sh-jingan");
    for (const channel of ["phone", "email"]) {
      const demo = await demoOrder({ channel, paymentMethod: "cash", prepaid: false });
      const taken = await world.api.post("/v1/orders", { ...demo, customer: { ...(demo.customer as object), customerId: "c-owner" } }, orderTaker);
      expect(taken.status, JSON.stringify(taken.body)).toBe(201);
      expect(taken.body).toMatchObject({ channel, storeId: "store-sh-jingan" });
    }
    for (const channel of ["website", "app", "social"]) expect((await world.api.post("/v1/orders", await demoOrder({ channel }), owner)).status).toBe(201);
  });

  it("takes them from the order takers and the store manager only: staff of any other role are refused naming who may, before their store is looked at, and nothing is stored", async () => {
    const refusedRoles = ["warehouse-clerk", "rider", "service-staff", "business-owner", "counter", "finance", "auditor", "dispatcher", "reviewer", "supervisor", "customer-service"];
    for (const role of refusedRoles) {
      // Of the order's store, of another store (the role is checked first), and chain-wide.
      for (const where of ["@store-sh-jingan", "@store-sh-pudong", ""]) {
        const demo = await demoOrder({ channel: "phone", paymentMethod: "cash", prepaid: false });
        const refused = await world.api.post("/v1/orders", demo, callerHeaders(`staff:x-1:${role}${where}`));
        expectProblem(refused, 403, "caller.not-permitted");
        expect(refused.body.detail).toBe(
          `only an order taker or the store manager (or the customer online, or a marketplace on its own channel) may submit order; the caller is staff with role ${role}`,
        );
        expect(await storedOrders(demo.channelOrderId)).toBe(0);
      }
    }
    const manager = await world.api.post("/v1/orders", await demoOrder({ channel: "email", paymentMethod: "cash", prepaid: false }), callerHeaders("staff:m-1:store-manager@store-sh-jingan"));
    expect(manager.status, JSON.stringify(manager.body)).toBe(201);
  });
});

describe("intake: a refused repeat names the order that holds it only to whoever reaches it by more than its id", () => {
  it("keeps a guest order's id, its receipt, from whoever sends other content under its channel order id or Idempotency-Key", async () => {
    const key = randomUUID();
    const guest = await demoOrder();
    const placed = await world.api.post("/v1/orders", guest, { "idempotency-key": key });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;

    const sameChannelOrder = await world.api.post("/v1/orders", { ...guest, notes: "leave it with the neighbour" }, anonymous);
    expectProblem(sameChannelOrder, 409, "order.channel-order-taken");
    const sameKey = await world.api.post("/v1/orders", await demoOrder(), { "idempotency-key": key });
    expectProblem(sameKey, 409, "idempotency-key.reused");
    const signedIn = await world.api.post("/v1/orders", { ...guest, notes: "ring twice" }, intruder);
    expectProblem(signedIn, 409, "order.channel-order-taken");
    for (const refused of [sameChannelOrder, sameKey, signedIn]) expect(JSON.stringify(refused.body)).not.toContain(orderId);

    // The order desk finds the order it already took; the same request again is still answered with it.
    const desk = await world.api.post("/v1/orders", { ...guest, notes: "ring twice" }, callerHeaders("staff:ot-1:order-taker@store-sh-jingan"));
    expect(desk).toMatchObject({ status: 409, body: { code: "order.channel-order-taken", detail: expect.stringContaining(orderId) } });
    expect(await world.api.post("/v1/orders", guest, { "idempotency-key": key })).toMatchObject({ status: 200, body: { orderId } });
  });

  it("names it to staff held to stores only for an order of one of their stores: a guest order's id reaches it with no token at all", async () => {
    const key = randomUUID();
    const guest = await demoOrder();
    const placed = await world.api.post("/v1/orders", guest, { "idempotency-key": key });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;

    // Another store's order taker takes an order for their own store under the same channel order id, or the same key.
    const elsewhere = callerHeaders("staff:ot-2:order-taker@store-sh-pudong");
    const forPudong = { ...guest, storeId: "store-sh-pudong", notes: "for the Pudong desk" };
    const sameChannelOrder = await world.api.post("/v1/orders", forPudong, elsewhere);
    expectProblem(sameChannelOrder, 409, "order.channel-order-taken");
    const sameKey = await world.api.post("/v1/orders", { ...(await demoOrder()), storeId: "store-sh-pudong" }, { ...elsewhere, "idempotency-key": key });
    expectProblem(sameKey, 409, "idempotency-key.reused");
    for (const refused of [sameChannelOrder, sameKey]) expect(JSON.stringify(refused.body)).not.toContain(orderId);
    // The id would have been the order's receipt: read without a token.
    expect((await world.api.get(`/v1/orders/${orderId}`, anonymous)).status).toBe(200);

    // Staff of its store, or of both, or chain-wide, are told which order holds it.
    for (const desk of ["staff:ot-1:order-taker@store-sh-jingan", "staff:m-1:store-manager@store-sh-pudong,store-sh-jingan", "staff:ot-3:order-taker"]) {
      const told = await world.api.post("/v1/orders", { ...guest, notes: "ring twice" }, callerHeaders(desk));
      expect(told, desk).toMatchObject({ status: 409, body: { code: "order.channel-order-taken", detail: expect.stringContaining(orderId) } });
    }
  });

  it("names an account's order to its own customer", async () => {
    const demo = await demoOrder();
    const own = { ...demo, customer: { ...(demo.customer as object), customerId: "c-owner" } };
    const placed = await world.api.post("/v1/orders", own, owner);
    expect(placed.status).toBe(201);
    const again = await world.api.post("/v1/orders", { ...own, notes: "other content" }, owner);
    expect(again).toMatchObject({ status: 409, body: { code: "order.channel-order-taken", detail: expect.stringContaining(placed.body.orderId) } });
    // Anyone else sending other content under its channel order id is refused without it: another customer, or nobody.
    for (const caller of [intruder, anonymous]) {
      const refused = await world.api.post("/v1/orders", { ...demo, notes: "other content" }, caller);
      expectProblem(refused, 409, "order.channel-order-taken");
      expect(JSON.stringify(refused.body)).not.toContain(placed.body.orderId);
    }
  });

  it("names a marketplace's order to that marketplace pushing other content under its order id", async () => {
    const order = tmallOrder();
    const pushed = await postSigned(world.intake.httpPort, "tmall", order);
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const changed = await postSigned(world.intake.httpPort, "tmall", { ...order, buyer: { ...order.buyer, nick: "zhou_lan_2" } });
    expect(changed).toMatchObject({ status: 409, body: { code: "order.channel-order-taken", detail: expect.stringContaining(pushed.body.orderId) } });
  });
});

describe("intake: a marketplace's token submits orders on its own channel only", () => {
  it("refuses an order on another channel, writing nothing: it would be that channel's, pushed to and answerable by it", async () => {
    const demo = await demoOrder();
    const refused = await world.api.post("/v1/orders", demo, marketplace);
    expectProblem(refused, 400);
    expect(refused.body.errors).toEqual([{ field: "channel", message: expect.stringContaining("its own channel") }]);
    const { rows } = await world.intake.runtime.pool.query("SELECT 1 FROM orders WHERE channel_order_id = $1", [demo.channelOrderId]);
    expect(rows).toHaveLength(0);
  });
});
