import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent } from "@oms/contracts";
import { serviceNames, startService, type RunningService } from "@oms/service-kit";
import { generateKeyPairSync } from "node:crypto";
import { claimsOfActor, mintCallerToken } from "@oms/identity";
import { createTestNamespace, readTopic, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust, testIdentity } from "@oms/testing";
import { orderRepository } from "./adapters/pg/order-repository.ts";
import { seedDemoCatalogue } from "./app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "./service.ts";
import { demoOrder, freePort, httpClient, peersAt, testOrderContacts } from "./test-fixtures.ts";

// Intake alone, as two instances on one database: every other service is down.
let namespace: TestNamespace;
let intakeA: RunningService;
let intakeB: RunningService;
let a: ReturnType<typeof httpClient>;
let b: ReturnType<typeof httpClient>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const definition = createIntakeService({ callerTrust: testCallerTrust });
  // Ephemeral gRPC ports: /healthz still reaches intake's own health, wherever it landed.
  const config = testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`));
  intakeA = await startService(definition, config);
  intakeB = await startService(definition, config);
  await seedDemoCatalogue(intakeA.runtime.pool);
  a = httpClient(intakeA.httpPort);
  b = httpClient(intakeB.httpPort);
});

afterAll(async () => {
  await intakeA?.stop();
  await intakeB?.stop();
  await namespace?.drop();
});

const countOf = async (table: "orders" | "outbox", where = "TRUE", values: unknown[] = []) =>
  (await intakeA.runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, values)).rows[0]!.n;

/** Both instances' relays publish what their outbox holds. */
const flushRelays = () => Promise.all([intakeA.relay.flush(), intakeB.relay.flush()]);

/**
 * What intake has stored and announced, with both relays flushed first: the relays delete
 * what they publish, so a count of the outbox alone moved whenever a row was in flight,
 * and a row written by mistake would be counted as announced here rather than missed.
 */
async function storedAndAnnounced() {
  await flushRelays();
  return { orders: await countOf("orders"), outbox: await countOf("outbox"), announced: (await readTopic(Topics.intakeOrder, namespace.name)).length };
}

const ordersOfChannelOrder = (channelOrderId: string) => countOf("orders", "channel_order_id = $1", [channelOrderId]);

async function publishedEventsOf(orderId: string) {
  await flushRelays();
  return (await readTopic(Topics.intakeOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

describe("intake: accepting orders", () => {
  it("accepts a valid order with 201 and Location, and announces it once as OrderReceived", async () => {
    const order = await demoOrder();
    const requestId = `req-${randomUUID()}`;
    const answer = await a.post("/v1/orders", order, { ...callerHeaders("customer:c-42"), "x-request-id": requestId });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: "received", storeId: "store-sh-jingan", channelOrderId: order.channelOrderId, confirmedByChannel: true });
    expect(answer.body.totals).toEqual({ linesMinor: 45_700, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 45_700, currency: "CNY" });
    expect(answer.headers.get("location")).toBe(`/v1/orders/${answer.body.orderId}`);
    expect(answer.headers.get("x-request-id")).toBe(requestId);

    const events = await publishedEventsOf(answer.body.orderId);
    expect(events).toHaveLength(1);
    const [event] = events;
    if (event?.type !== EventTypes.OrderReceived) throw new Error(`expected OrderReceived, got ${event?.type}`);
    expect(event).toMatchObject({ producer: "intake", storeId: "store-sh-jingan", correlationId: requestId, actor: { kind: "customer", id: "c-42", role: "customer" } });
    expect(event.payload.order).toMatchObject({
      orderId: answer.body.orderId,
      channel: "website",
      channelOrderId: order.channelOrderId,
      region: "Jing'an",
      confirmedByChannel: true,
      // The contact is not in the clear on the topic: sealed, and opened only by intake.
      customer: { name: "", phone: "", email: "", address: { line1: "", district: "Jing'an" } },
      totals: { grandTotalMinor: 45_700 },
    });
    expect(testOrderContacts.contactOf(event.payload.order!)).toMatchObject({ name: "Zhou Lan", phone: "+86 138 0013 8000" });
    expect(event.payload.order?.lines.map((l) => [l.sku, l.quantity, l.lineTotalMinor])).toEqual([
      ["KETTLE-1L7", 1, 19_900],
      ["TOWEL-SET-4", 2, 25_800],
    ]);
  });

  it("generates a request id when none is given and returns it", async () => {
    const answer = await a.post("/v1/orders", await demoOrder());
    expect(answer.status).toBe(201);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await publishedEventsOf(answer.body.orderId);
    expect(event).toMatchObject({ correlationId: answer.headers.get("x-request-id"), actor: { kind: "customer", id: "anonymous" } });
  });

  it("answers the same channel order again with 200 and the same order, stored and announced once", async () => {
    const order = await demoOrder();
    const first = await a.post("/v1/orders", order);
    const again = await b.post("/v1/orders", order);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await ordersOfChannelOrder(order.channelOrderId)).toBe(1);
    expect(await publishedEventsOf(first.body.orderId)).toHaveLength(1);
  });

  it("makes 10 identical requests at the same moment on two instances one order and one event", async () => {
    const order = await demoOrder();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).post("/v1/orders", order)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const orderIds = new Set(answers.map((r) => r.body.orderId));
    expect(orderIds.size).toBe(1);
    expect(await ordersOfChannelOrder(order.channelOrderId)).toBe(1);
    expect(await publishedEventsOf([...orderIds][0])).toHaveLength(1);
  });

  it("gives each of many concurrent requests its own answer: new orders, repeats, and other content under a taken channel order", async () => {
    const fresh = await Promise.all(Array.from({ length: 12 }, () => demoOrder()));
    const contested = await demoOrder();
    // Five with the same content, four each with other content, for one channel order: whichever commits first wins.
    const variants = [...Array(5).fill(contested), ...Array.from({ length: 4 }, (_, i) => ({ ...contested, notes: `variant ${i}` }))];
    const [freshAnswers, contestedAnswers] = await Promise.all([
      Promise.all(fresh.map((order, i) => (i % 2 === 0 ? a : b).post("/v1/orders", order))),
      Promise.all(variants.map((order, i) => (i % 2 === 0 ? a : b).post("/v1/orders", order))),
    ]);

    expect(freshAnswers.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(freshAnswers.map((r) => r.body.orderId)).size).toBe(12);
    const winner = contestedAnswers.findIndex((r) => r.status === 201);
    expect(contestedAnswers.filter((r) => r.status === 201)).toHaveLength(1);
    const winnerId = contestedAnswers[winner]!.body.orderId;
    contestedAnswers.forEach((answer, i) => {
      if (i === winner) return;
      if (JSON.stringify(variants[i]) === JSON.stringify(variants[winner])) expect(answer).toMatchObject({ status: 200, body: { orderId: winnerId } });
      else expect(answer).toMatchObject({ status: 409, body: { code: "order.channel-order-taken" } });
    });
    expect(await ordersOfChannelOrder(contested.channelOrderId)).toBe(1);
    expect(await publishedEventsOf(winnerId)).toHaveLength(1);
  });

  it("makes a request idempotent by its Idempotency-Key, and refuses the key or the channel order for other content", async () => {
    const key = randomUUID();
    const order = await demoOrder();
    const first = await a.post("/v1/orders", order, { "idempotency-key": key });
    const again = await b.post("/v1/orders", order, { "idempotency-key": key });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.orderId).toBe(first.body.orderId);

    const otherOrder = await a.post("/v1/orders", await demoOrder(), { "idempotency-key": key });
    expect(otherOrder.status).toBe(409);
    expect(otherOrder.body).toMatchObject({ status: 409, code: "idempotency-key.reused" });

    const changed = await a.post("/v1/orders", { ...order, notes: "deliver after 6 pm" });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ code: "order.channel-order-taken" });
    // A guest order's id is its receipt: not told to whoever sends other content under its channel order id (ADR 022, twenty-sixth session).
    expect(changed.body.detail).not.toContain(first.body.orderId);
    expect(await ordersOfChannelOrder(order.channelOrderId)).toBe(1);
  });
});

describe("intake: refusing orders", () => {
  it("answers bad input with 400 and one message per wrong field, and stores nothing", async () => {
    const before = await storedAndAnnounced();
    const order = await demoOrder();
    const customer = order.customer as Record<string, unknown>;
    const answer = await a.post("/v1/orders", {
      ...order,
      kind: "furniture",
      customer: { ...customer, name: "" },
      lines: [{ sku: "KETTLE-1L7", quantity: 0, unitPriceMinor: 19_900 }, { sku: "TOWEL-SET-4", unitPriceMinor: 12_900, quantity: 2.5 }],
      prepaid: "yes",
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
    expect(answer.body).toMatchObject({ type: "https://oms.example/problems/validation", status: 400, code: "validation.failed" });
    expect(answer.body.errors).toEqual([
      { field: "kind", message: "must be one of goods, service" },
      { field: "customer.name", message: "must not be empty" },
      { field: "lines[0].quantity", message: "must be at least 1" },
      { field: "lines[1].quantity", message: "must be a whole number" },
      { field: "prepaid", message: "must be true or false" },
    ]);
    expect(await storedAndAnnounced()).toEqual(before);
  });

  it("stores each order of a batch whole, its content and its sealed contact, whatever the width of its characters", async () => {
    // Accepted together, the orders share one statement, their content and contacts cut out of
    // one packed parameter by byte offsets: a character counted in the wrong unit would shift
    // every order after it.
    const texts = ["北京朝阳 🫖 请轻放", "", "é è ê — “quoted” \\ \"escaped\"", "plain"];
    const orders = await Promise.all(texts.map(async (notes) => {
      const order = await demoOrder({ notes });
      return { ...order, customer: { ...(order.customer as Record<string, unknown>), name: `${notes || "—"} 周兰` } };
    }));
    const answers = await Promise.all(orders.map((order) => a.post("/v1/orders", order, callerHeaders("customer:c-42"))));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);

    const stored = await Promise.all(answers.map((answer) => orderRepository.findById(intakeA.runtime.pool, answer.body.orderId)));
    expect(stored.map((record) => record?.canonical.notes)).toEqual(texts);
    expect(stored.map((record) => testOrderContacts.contactOf(record!.canonical).name)).toEqual(texts.map((notes) => `${notes || "—"} 周兰`));
  });

  it("answers text holding half of a character with 400 naming the field, where Postgres's jsonb would have failed the batch, and stores nothing", async () => {
    const before = await storedAndAnnounced();
    // JSON.stringify writes a lone surrogate as the escape "\ud800": valid JSON, no character.
    const answer = await a.post("/v1/orders", { ...(await demoOrder()), notes: "leave at the door \ud800" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.errors).toEqual([{ field: "notes", message: "holds half of a character (a lone UTF-16 surrogate), which cannot be stored" }]);
    expect(await storedAndAnnounced()).toEqual(before);
  });

  it("answers a failed pre-check with 400 naming the fields, and stores nothing", async () => {
    const before = await storedAndAnnounced();
    const order = await demoOrder({
      lines: [
        { sku: "KETTLE-1L7", quantity: 1, unitPriceMinor: 9_900 },
        { sku: "TOWEL-SET-4", quantity: 2, unitPriceMinor: 12_900 },
      ],
    });
    const answer = await b.post("/v1/orders", { ...order, storeId: "store-sh-jingan", totals: { ...(order.totals as object), grandTotalMinor: 35_700 } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: "lines[0].unitPriceMinor", message: "must be 19900, the listed price" }]);

    const wrongTotal = await b.post("/v1/orders", { ...(await demoOrder()), totals: { ...(order.totals as object), grandTotalMinor: 45_000 } });
    expect(wrongTotal.status).toBe(400);
    expect(wrongTotal.body.errors).toEqual([
      { field: "totals.grandTotalMinor", message: "must be 45700 (lines 45700 - discount 0 + shipping 0 + service fee 0 + tax 0)" },
    ]);
    expect(await storedAndAnnounced()).toEqual(before);
  });

  it("refuses an order outside the store's service area with 422 and a reason the customer can be told", async () => {
    const before = await storedAndAnnounced();
    const order = await demoOrder();
    const customer = order.customer as { address: Record<string, unknown> };
    const answer = await a.post("/v1/orders", { ...order, customer: { ...customer, address: { ...customer.address, district: "Pudong" } } });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ status: 422, code: "order.out-of-scope", type: "https://oms.example/problems/out-of-scope" });
    expect(answer.body.errors).toEqual([
      { field: "customer.address.district", message: "Jing'an flagship does not deliver to this district; it serves Jing'an, Huangpu, Xuhui, Changning" },
    ]);
    expect(await storedAndAnnounced()).toEqual(before);
  });

  it("refuses a malformed caller, a body that is not JSON, and a route that does not exist as problem details", async () => {
    const caller = await a.post("/v1/orders", await demoOrder(), callerHeaders("system:intake"));
    expect(caller).toMatchObject({ status: 401, body: { code: "caller.malformed" } });
    const notJson = await a.post("/v1/orders", '{"channel": "website",', {});
    expect(notJson).toMatchObject({ status: 400, body: { code: "request.ctp-invalid-json-body" } });
    const nowhere = await a.get("/v2/everything");
    expect(nowhere).toMatchObject({ status: 404, body: { code: "route.not-found" } });
    expect(nowhere.headers.get("content-type")).toContain("application/problem+json");
    // Refused by Node's HTTP parser before any route: a query string beyond the 16 KB of request line and headers.
    const overlong = await a.get(`/v1/orders?storeId=${"x".repeat(20_000)}`, callerHeaders("staff:s-1:store-manager"));
    expect(overlong).toMatchObject({ status: 431, body: { status: 431, code: "request.headers-too-large" } });
    expect(overlong.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("intake: who calls is what a signed token says", () => {
  const forger = { kid: testIdentity.signingKey.kid, jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) };
  const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });
  const reviewer = "staff:s-1:reviewer";

  it("takes the caller from the bearer token, and an X-Actor header for nothing", async () => {
    expect(await a.get("/v1/reviews", callerHeaders(reviewer))).toMatchObject({ status: 200 });
    // Before tokens, this header made anyone a reviewer; now it is an anonymous customer's request.
    expect(await a.get("/v1/reviews", { "x-actor": reviewer })).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
  });

  it("refuses a token another key signed, one expired, one for another audience or issuer, before writing anything", async () => {
    const before = await countOf("orders");
    const refused = [
      [bearerOf(mintCallerToken(forger, testIdentity, claimsOfActor("customer:c-42"))), "caller.token-invalid"],
      [bearerOf(mintCallerToken(testIdentity.signingKey, testIdentity, claimsOfActor("customer:c-42"), { issuedAt: Math.floor(Date.now() / 1000) - 7200 })), "caller.token-expired"],
      [bearerOf(mintCallerToken(testIdentity.signingKey, { ...testIdentity, audience: "another-app" }, claimsOfActor("customer:c-42"))), "caller.token-invalid"],
      [bearerOf(mintCallerToken(testIdentity.signingKey, { ...testIdentity, issuer: "https://elsewhere.example" }, claimsOfActor("customer:c-42"))), "caller.token-invalid"],
      [{ authorization: "Basic Yzo0Mg==" }, "caller.token-malformed"],
    ] as const;
    for (const [headers, code] of refused) {
      const answer = await a.post("/v1/orders", await demoOrder(), headers);
      expect(answer, code).toMatchObject({ status: 401, body: { status: 401, code } });
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer realm="oms", error="invalid_token", error_description="[^"]+"$/);
    }
    expect(await countOf("orders")).toBe(before);
  });

  it("lets a customer without a token order, as the anonymous customer", async () => {
    expect(await a.post("/v1/orders", await demoOrder(), {})).toMatchObject({ status: 201 });
  });
});

describe("intake: the API around the orders", () => {
  it("serves an OpenAPI 3.1 document whose own order example is accepted", async () => {
    const document = await a.get("/openapi.json");
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe("3.1.0");
    const example = document.body.paths["/v1/orders"].post.requestBody.content["application/json"].example;
    const answer = await a.post("/v1/orders", example);
    expect(answer.status).toBe(201);
  });

  it("reports each service's gRPC health: intake serves, the others are down here", async () => {
    const answer = await a.get("/healthz");
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      status: "NOT_SERVING",
      services: Object.fromEntries(serviceNames.map((name) => [name, name === "intake" ? "SERVING" : "NOT_SERVING"])),
    });
  });

  it("answers 503 with Retry-After when fulfillment cannot tell where an order stands", async () => {
    const accepted = await a.post("/v1/orders", await demoOrder());
    const answer = await a.get(`/v1/orders/${accepted.body.orderId}`);
    expect(answer).toMatchObject({ status: 503, body: { type: "https://oms.example/problems/unavailable" } });
    expect(answer.headers.get("retry-after")).toBe("1");
  });

  it("serves /metrics, /livez and /readyz on the API's port", async () => {
    expect((await a.get("/livez")).status).toBe(200);
    expect(await a.get("/readyz")).toMatchObject({ status: 200, body: { status: "ready" } });
    const metrics = await a.get("/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/oms_http_request_seconds_count\{[^}]*method="POST",route="\/v1\/orders",status="201"\} [1-9]/);
    // The pool: connections by state and callers waiting for one.
    expect(metrics.body).toMatch(/oms_db_pool_connections\{state="idle",service="intake"\} \d+/);
    expect(metrics.body).toMatch(/oms_db_pool_waiting\{service="intake"\} 0/);
    // Round trips to Postgres: the orders above were stored, so there were some.
    expect(metrics.body).toMatch(/oms_db_statements_total\{service="intake"\} [1-9]\d*/);
  });
});
