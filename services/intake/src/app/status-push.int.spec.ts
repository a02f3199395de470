import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { loadDemoChain, startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { withTransaction } from "@oms/postgres";
import { platformRepository } from "../adapters/pg/platform-repository.ts";
import { createIntakeService } from "../service.ts";
import { demoOrder, freePort, httpClient, peersAt, postSigned, testPlatformSecrets, tmallOrder } from "../test-fixtures.ts";
import { seedDemoCatalogue } from "./commands/seed-demo-catalogue.ts";
import { platformSettingsOfChain } from "./platform-secrets.ts";

// Intake alone with a marketplace's callback server started here; fulfillment's events are published by the test.
let namespace: TestNamespace;
let intake: RunningService;
let callbackServer: Server;
const received: { body: any; timestamp: string; signature: string }[] = [];
/** Per channel order id: how many calls fail before one succeeds (Infinity: all fail). */
const failuresBeforeSuccess = new Map<string, number>();
const savedSecrets = process.env.INTAKE_PLATFORM_SECRETS;

beforeAll(async () => {
  callbackServer = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      const body = JSON.parse(raw);
      received.push({ body, timestamp: String(request.headers["x-platform-timestamp"]), signature: String(request.headers["x-platform-signature"]) });
      const failures = failuresBeforeSuccess.get(body.channelOrderId) ?? 0;
      const calls = received.filter((r) => r.body.channelOrderId === body.channelOrderId).length;
      response.statusCode = calls <= failures ? (failures === Infinity ? 503 : 500) : 200;
      response.end(raw.length > 0 ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  const address = callbackServer.address();
  const callbackUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/oms/status`;

  namespace = await createTestNamespace();
  process.env.INTAKE_PLATFORM_SECRETS = JSON.stringify(testPlatformSecrets);
  intake = await startService(
    createIntakeService({ callerTrust: testCallerTrust, cacheMaxAgeMs: 0, statusPush: { pollMs: 50, backoffMs: 100, maxBackoffMs: 400, maxAttempts: 3 } }),
    testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)),
  );
  await seedDemoCatalogue(intake.runtime.pool);
  const tmall = platformSettingsOfChain(await loadDemoChain()).find((p) => p.platform === "tmall")!;
  await withTransaction(intake.runtime.pool, (tx) => platformRepository.upsert(tx, [{ ...tmall, callbackUrl }]));
});

afterAll(async () => {
  if (savedSecrets === undefined) delete process.env.INTAKE_PLATFORM_SECRETS;
  else process.env.INTAKE_PLATFORM_SECRETS = savedSecrets;
  await intake?.stop();
  await namespace?.drop();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

const statusChanged = (orderId: string, fromStatus: string, toStatus: string, parcel = { carrier: "", trackingNumber: "" }) =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus, toStatus, reason: "", holdReason: "", ...parcel },
    { producer: "fulfillment", orderId, storeId: "store-sh-jingan", actor: { kind: "system", id: "fulfillment", role: "system" } },
  );

async function acceptedTmallOrder() {
  const order = tmallOrder();
  const answer = await postSigned(intake.httpPort, "tmall", order);
  expect(answer.status).toBe(201);
  return { orderId: answer.body.orderId as string, tid: order.tid };
}

const callbackRow = async (eventId: string) =>
  (await intake.runtime.pool.query("SELECT state, attempts, last_error FROM status_callbacks WHERE event_id = $1", [eventId])).rows[0] as
    | { state: string; attempts: number; last_error: string | null }
    | undefined;

describe("status pushed back to the marketplace", () => {
  it("pushes a customer-visible change, signed, retrying after a failed call; internal steps and other channels are not pushed", async () => {
    const { orderId, tid } = await acceptedTmallOrder();
    failuresBeforeSuccess.set(tid, 1);
    const website = await httpClient(intake.httpPort).post("/v1/orders", await demoOrder());
    const parcel = { carrier: "SF Express", trackingNumber: "SF0099" };
    const [picked, shipped] = [statusChanged(orderId, "reserved", "picked"), statusChanged(orderId, "packed", "shipped", parcel)];
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [
      picked,
      shipped,
      statusChanged(website.body.orderId, "packed", "shipped"),
    ]);

    const row = await eventually(async () => {
      const current = await callbackRow(shipped.eventId);
      return current?.state === "delivered" ? current : undefined;
    }, 20_000);
    expect(row).toMatchObject({ state: "delivered", attempts: 2, last_error: null });

    const calls = received.filter((r) => r.body.channelOrderId === tid);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      // The shipment names its parcel: the platform marks the order shipped with it.
      expect(call.body).toEqual({ channelOrderId: tid, orderId, status: "shipped", reason: "", ...parcel, occurredAt: expect.any(String), eventId: shipped.eventId });
      const expected = createHmac("sha256", testPlatformSecrets.tmall).update(`${call.timestamp}.${JSON.stringify(call.body)}`).digest("hex");
      expect(call.signature).toBe(expected);
    }
    expect(received.some((r) => r.body.orderId === website.body.orderId)).toBe(false);
    const queued = await intake.runtime.pool.query("SELECT status FROM status_callbacks WHERE order_id = $1", [orderId]);
    expect(queued.rows.map((r) => r.status)).toEqual(["shipped"]);
    // The internal step was passed over: no inbox row, where the pushed change has one.
    const inbox = await intake.runtime.pool.query("SELECT event_id FROM processed_events WHERE event_id = ANY($1)", [[picked.eventId, shipped.eventId]]);
    expect(inbox.rows.map((r) => r.event_id)).toEqual([shipped.eventId]);
  });

  it("tells the marketplace of an order a reviewer rejected, which fulfillment never sees", async () => {
    // Sixty kettles: an unusual quantity, so the order waits for a reviewer.
    const order = tmallOrder({
      orders: [{ outer_iid: "TM-600100", title: "Kettle", num: 60, price_fen: 19_900 }],
      payment: { total_fee_fen: 60 * 19_900, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
    });
    const accepted = await postSigned(intake.httpPort, "tmall", order);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const { orderId, reviewId } = accepted.body as { orderId: string; reviewId: string };
    expect(reviewId).toBeTruthy();
    const rejection = await httpClient(intake.httpPort).post(`/v1/reviews/${reviewId}/rejection`, { reason: "sixty kettles to one flat" }, callerHeaders("staff:staff-he-rev:reviewer"));
    expect(rejection.status, JSON.stringify(rejection.body)).toBe(200);

    const call = await eventually(async () => received.find((r) => r.body.orderId === orderId), 20_000);
    // The outcome, not the reviewer's words, which are written to colleagues (ADR 022, twenty-seventh-session addendum, second reading).
    expect(call.body).toMatchObject({ channelOrderId: order.tid, orderId, status: "rejected", reason: "the store could not accept the order" });
  });

  it("pushes a cancellation once, with its reason code and never the words staff typed; one from before the codes without a code", async () => {
    const staff = { kind: "staff", id: "staff-li", role: "store-manager" } as const;
    const staffWords = "Li: the buyer was rude on the phone, do not serve again";
    const cancellation = (orderId: string, reasonCode: string) => {
      const origin = { producer: "fulfillment", orderId, storeId: "store-sh-jingan", actor: staff };
      // As fulfillment publishes a cancellation: the status change, then OrderCancelled, in one transaction.
      return [
        newEvent(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus: "cancelled", reason: staffWords, holdReason: "", carrier: "", trackingNumber: "" }, origin),
        newEvent(EventTypes.OrderCancelled, { reason: staffWords, refundDue: true, reasonCode }, origin),
      ] as const;
    };
    const [coded, beforeCodes] = [await acceptedTmallOrder(), await acceptedTmallOrder()];
    const [codedEvents, eventsBefore] = [cancellation(coded.orderId, "out-of-stock"), cancellation(beforeCodes.orderId, "")];
    const [cancelled, cancelledBefore] = [codedEvents[1], eventsBefore[1]];
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [...codedEvents, ...eventsBefore]);

    const pushed = await eventually(async () => received.find((r) => r.body.eventId === cancelled.eventId), 20_000);
    expect(pushed.body).toEqual({ channelOrderId: coded.tid, orderId: coded.orderId, status: "cancelled", reason: "", reasonCode: "out-of-stock", occurredAt: expect.any(String), eventId: cancelled.eventId });
    const old = await eventually(async () => received.find((r) => r.body.eventId === cancelledBefore.eventId), 20_000);
    expect(old.body).toEqual({ channelOrderId: beforeCodes.tid, orderId: beforeCodes.orderId, status: "cancelled", reason: "", occurredAt: expect.any(String), eventId: cancelledBefore.eventId });

    const toTheseOrders = received.filter((r) => r.body.channelOrderId === coded.tid || r.body.channelOrderId === beforeCodes.tid);
    expect(toTheseOrders).toHaveLength(2);
    expect(JSON.stringify(toTheseOrders)).not.toContain("rude");
    const queued = await intake.runtime.pool.query("SELECT status, reason, reason_code FROM status_callbacks WHERE order_id = $1", [coded.orderId]);
    expect(queued.rows).toEqual([{ status: "cancelled", reason: "", reason_code: "out-of-stock" }]);
  });

  it("does not push a cancellation again that an intake from before the codes pushed from its status change (an upgrade straddled, a replay)", async () => {
    const { orderId, tid } = await acceptedTmallOrder();
    const origin = { producer: "fulfillment", orderId, storeId: "store-sh-jingan", actor: { kind: "system", id: "fulfillment", role: "system" } } as const;
    const change = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "awaiting-confirmation", toStatus: "cancelled", reason: "not confirmed after 48 h: cancelled by rule", holdReason: "", carrier: "", trackingNumber: "" }, origin);
    const cancelled = newEvent(EventTypes.OrderCancelled, { reason: "not confirmed after 48 h: cancelled by rule", refundDue: false, reasonCode: "not-confirmed" }, origin);
    // What that intake queued and pushed from the change; it passed the OrderCancelled over, so its inbox has no row for it.
    await intake.runtime.pool.query(
      `INSERT INTO status_callbacks (event_id, order_id, platform, channel_order_id, status, reason, occurred_at, state, attempts, next_attempt_at, delivered_at)
       VALUES ($1, $2, 'tmall', $3, 'cancelled', '', $4, 'delivered', 1, now(), now())`,
      [change.eventId, orderId, tid, change.occurredAt],
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [change, cancelled]);
    await eventually(async () => ((await intake.runtime.pool.query("SELECT 1 FROM processed_events WHERE event_id = $1", [cancelled.eventId])).rowCount ? true : undefined), 20_000);

    const queued = await intake.runtime.pool.query("SELECT event_id FROM status_callbacks WHERE order_id = $1", [orderId]);
    expect(queued.rows).toEqual([{ event_id: change.eventId }]);
    expect(received.filter((r) => r.body.channelOrderId === tid)).toEqual([]);
  });

  it("gives up after the last attempt and keeps the failure; a redelivered event queues nothing more", async () => {
    const { orderId, tid } = await acceptedTmallOrder();
    failuresBeforeSuccess.set(tid, Infinity);
    const held = statusChanged(orderId, "confirmed", "on-hold");
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [held, held]);
    const row = await eventually(async () => {
      const current = await callbackRow(held.eventId);
      return current?.state === "failed" ? current : undefined;
    }, 20_000);
    expect(row).toEqual({ state: "failed", attempts: 3, last_error: "HTTP 503" });
    expect(received.filter((r) => r.body.channelOrderId === tid)).toHaveLength(3);
  });
});
