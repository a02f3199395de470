import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type Actor } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { billingService } from "../../services/billing/src/service.ts";
import { fulfillmentService } from "../../services/fulfillment/src/service.ts";
import { seedDemoCatalogue } from "../../services/intake/src/app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { demoOrder, freePort, httpClient, peersAt, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";

// Intake in front of the real owners of the order (fulfillment) and of its money (billing);
// the warehouse's and dispatch's reports are published as they would publish them.
let namespace: TestNamespace;
let fulfillment: RunningService;
let billing: RunningService;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  fulfillment = await startService(fulfillmentService, testServiceConfig("fulfillment", namespace));
  billing = await startService(billingService, testServiceConfig("billing", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, {
    fulfillment: `127.0.0.1:${fulfillment.grpc.port}`,
    billing: `127.0.0.1:${billing.grpc.port}`,
  });
  intake = await startService(createIntakeService(), testServiceConfig("intake", namespace, peers));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await billing?.stop();
  await fulfillment?.stop();
  await namespace?.drop();
});

const customer = { "x-actor": "customer:c-42" };
const rider = { "x-actor": "staff:r-7:rider" };
const finance = { "x-actor": "staff:f-3:finance" };
const system: Actor = { kind: "system", id: "test", role: "system" };

async function submit(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await api.post("/v1/orders", await demoOrder(overrides), customer);
  expect(answer.status).toBe(201);
  return answer.body.orderId as string;
}

const statusOf = (orderId: string, status: string): Promise<HttpAnswer> =>
  eventually(async () => {
    const answer = await api.get(`/v1/orders/${orderId}`, customer);
    return answer.status === 200 && answer.body.status === status ? answer : undefined;
  });

/** Brings an order to "shipped" with the reports the warehouse and dispatch would publish, using the ids GET /v1/orders/{id} names. */
async function shipped(orderId: string): Promise<HttpAnswer> {
  const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
  expect(reservationId).toBe(`${orderId}/reservation/1`);
  const storeId = "store-sh-jingan";
  const reporter = (producer: string) => ({ producer, orderId, storeId, actor: system });
  await publishEvents(namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId, lines: [] }, reporter("warehouse"))]);
  const { taskId } = (await statusOf(orderId, "reserved")).body;
  await publishEvents(namespace.name, Topics.dispatchAssignment, [
    newEvent(EventTypes.TaskAssigned, { taskId, assignmentId: randomUUID(), staffId: "r-7", acknowledgeBy: "", fencingToken: 1 }, reporter("dispatch")),
  ]);
  await statusOf(orderId, "assigned");
  await publishEvents(namespace.name, Topics.warehouseStock, [
    newEvent(EventTypes.ShipmentPicked, { reservationId }, reporter("warehouse")),
    newEvent(EventTypes.ShipmentPacked, { reservationId, parcels: 1, label: "L-1" }, reporter("warehouse")),
    newEvent(EventTypes.ShipmentDispatched, { shipmentId: randomUUID(), reservationId, carrier: "SF Express", trackingNumber: "SF1234567" }, reporter("warehouse")),
  ]);
  return statusOf(orderId, "shipped");
}

const delivery = { place: "front door", method: "courier", proofKind: "signature", proofRef: "sig-7f3a" };
const forbidden = { status: 403, body: { type: "https://oms.example/problems/forbidden", status: 403, code: "caller.not-permitted" } };

describe("intake: following an order through fulfillment", () => {
  it("answers where an order stands, with its timeline, from fulfillment", async () => {
    const orderId = await submit({ confirmedByCustomer: false });
    const answer = await statusOf(orderId, "awaiting-confirmation");
    expect(answer.body).toMatchObject({ orderId, storeId: "store-sh-jingan", channel: "website", kind: "goods", fulfillmentMethod: "ship", totals: { grandTotalMinor: 45_700 } });
    expect(answer.body.timeline[0]).toMatchObject({ service: "intake", what: "order.received", actor: "customer:c-42" });
    expect(answer.body.timeline.map((t: { what: string }) => t.what)).toContain("order.created");
    expect(JSON.stringify(answer.body)).not.toContain("Zhou Lan");
  });

  it("confirms an order on the customer's word, recording who confirmed", async () => {
    const orderId = await submit({ confirmedByCustomer: false });
    await statusOf(orderId, "awaiting-confirmation");
    const answer = await api.post(`/v1/orders/${orderId}/confirmation`, undefined, customer);
    expect(answer.status).toBe(200);
    expect(answer.body.status).not.toBe("awaiting-confirmation");
    expect(answer.body.timeline.find((t: { what: string }) => t.what === "order.confirmed")).toMatchObject({ actor: "customer:c-42" });
  });

  it("cancels with a reason, refuses a cancellation without one, and refuses what the order's state does not allow", async () => {
    const orderId = await submit({ confirmedByCustomer: false });
    await statusOf(orderId, "awaiting-confirmation");

    const noReason = await api.post(`/v1/orders/${orderId}/cancellation`, {}, customer);
    expect(noReason).toMatchObject({ status: 400, body: { errors: [{ field: "reason", message: "is required" }] } });

    const cancelled = await api.post(`/v1/orders/${orderId}/cancellation`, { reason: "ordered by mistake" }, { "x-actor": "staff:s-7:order-taker" });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });

    const tooLate = await api.post(`/v1/orders/${orderId}/confirmation`, { note: "confirmed on the phone" }, customer);
    expect(tooLate).toMatchObject({ status: 409, body: { type: "https://oms.example/problems/illegal-state", detail: expect.stringContaining("cancelled") } });
  });

  it("answers 404 problem details for an order nobody knows", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const answer of [
      await api.get(`/v1/orders/${unknown}`),
      await api.post(`/v1/orders/${unknown}/confirmation`),
      await api.post(`/v1/orders/${unknown}/cancellation`, { reason: "no longer needed" }),
      await api.post(`/v1/orders/${unknown}/delivery`, delivery, rider),
      await api.post(`/v1/orders/${unknown}/acceptance`, undefined, customer),
      await api.post(`/v1/orders/${unknown}/closure`, undefined, finance),
      await api.get(`/v1/orders/${unknown}/settlement`, finance),
      await api.post(`/v1/orders/${unknown}/payments`, { amountMinor: 100, currency: "CNY", method: "bank-transfer", reference: "B-1" }, finance),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { status: 404, code: "order.not-found" } });
    }
  });
});

describe("intake: the people's steps after assignment, each asked of its owner as the caller", () => {
  it("drives a pay-later order through delivery, acceptance, payment and closing, each step by its role", async () => {
    const orderId = await submit({ paymentMethod: "bank-transfer", prepaid: false });
    expect((await shipped(orderId)).body).toMatchObject({ trackingNumber: "SF1234567", taskId: `${orderId}/task/1` });

    expect(await api.post(`/v1/orders/${orderId}/delivery`, delivery, customer)).toMatchObject(forbidden);
    const delivered = await api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, deliveredAt: new Date().toISOString() }, rider);
    expect(delivered).toMatchObject({ status: 200, body: { status: "delivered" } });
    expect(delivered.body.timeline.find((t: { what: string }) => t.what === "delivery.recorded")).toMatchObject({ actor: "staff:r-7" });

    expect(await api.post(`/v1/orders/${orderId}/acceptance`, undefined, rider)).toMatchObject(forbidden);
    expect(await api.post(`/v1/orders/${orderId}/acceptance`, {}, customer)).toMatchObject({ status: 200, body: { status: "completed" } });

    const due = await eventually(async () => {
      const answer = await api.get(`/v1/orders/${orderId}/settlement`, finance);
      return answer.status === 200 ? answer : undefined;
    });
    expect(due.body).toMatchObject({ orderId, status: "awaiting-payment", currency: "CNY", amountDueMinor: 45_700, amountPaidMinor: 0, outstandingMinor: 45_700, paymentMethod: "bank-transfer" });
    expect(await api.get(`/v1/orders/${orderId}/settlement`, customer)).toMatchObject(forbidden);

    const payment = { amountMinor: 45_700, currency: "CNY", method: "bank-transfer", reference: `ICBC-${orderId}` };
    expect(await api.post(`/v1/orders/${orderId}/payments`, payment, rider)).toMatchObject(forbidden);
    const tooMuch = await api.post(`/v1/orders/${orderId}/payments`, { ...payment, amountMinor: 50_000, reference: "other" }, finance);
    expect(tooMuch).toMatchObject({ status: 409, body: { code: "settlement.rule-violation", detail: expect.stringContaining("exceeds the outstanding 45700") } });
    const paid = await api.post(`/v1/orders/${orderId}/payments`, payment, finance);
    expect(paid).toMatchObject({ status: 200, body: { status: "paid", amountPaidMinor: 45_700, outstandingMinor: 0 } });
    // The same reference again is the same payment, not a second one.
    expect(await api.post(`/v1/orders/${orderId}/payments`, payment, finance)).toMatchObject({ status: 200, body: { amountPaidMinor: 45_700 } });

    await statusOf(orderId, "settled");
    expect(await api.post(`/v1/orders/${orderId}/closure`, undefined, rider)).toMatchObject(forbidden);
    const closed = await api.post(`/v1/orders/${orderId}/closure`, undefined, finance);
    expect(closed).toMatchObject({ status: 200, body: { status: "closed" } });
    expect(closed.body.timeline.find((t: { what: string }) => t.what === "order.closed")).toMatchObject({ actor: "staff:f-3" });
  });

  it("sends a refused delivery to rework with the customer's reasons, and refuses what the state does not allow", async () => {
    const orderId = await submit();
    await shipped(orderId);
    expect(await api.post(`/v1/orders/${orderId}/rejection`, { reason: "too early" }, customer)).toMatchObject({
      status: 409,
      body: { code: "order.not-rejectable" },
    });
    await api.post(`/v1/orders/${orderId}/delivery`, delivery, rider);
    expect(await api.post(`/v1/orders/${orderId}/rejection`, { reason: " " }, customer)).toMatchObject({
      status: 400,
      body: { errors: [{ field: "reason", message: "must not be empty" }] },
    });
    const rework = await api.post(`/v1/orders/${orderId}/rejection`, { reason: "The kettle's lid is cracked" }, customer);
    expect(rework).toMatchObject({ status: 200, body: { status: "rework" } });
    expect(rework.body.timeline.at(-1)).toMatchObject({ detail: expect.stringContaining("lid is cracked"), actor: "customer:c-42" });
    expect(await api.post(`/v1/orders/${orderId}/closure`, undefined, finance)).toMatchObject({ status: 409, body: { code: "order.not-closable" } });
  });

  it("refuses bad bodies field by field, before asking anyone", async () => {
    const orderId = await submit();
    const wrongDelivery = await api.post(`/v1/orders/${orderId}/delivery`, { place: "", method: "courier", proofKind: "fingerprint", collectedMinor: -5, extra: 1 }, rider);
    expect(wrongDelivery).toMatchObject({ status: 400, body: { code: "validation.failed" } });
    expect(wrongDelivery.body.errors).toEqual([
      { field: "place", message: "must not be empty" },
      { field: "proofKind", message: "must be one of signature, photo, one-time-code" },
      { field: "proofRef", message: "is required" },
      { field: "collectedMinor", message: "must be at least 0" },
      { field: "extra", message: "is not a known field" },
    ]);
    const wrongPayment = await api.post(`/v1/orders/${orderId}/payments`, { amountMinor: 10.5, currency: "yuan", method: "on-credit" }, finance);
    expect(wrongPayment.body.errors).toEqual([
      { field: "amountMinor", message: "must be a whole number" },
      { field: "currency", message: "must be an ISO 4217 currency code, e.g. CNY" },
      { field: "method", message: "must be one of cash, bank-transfer, cheque, third-party, card-on-delivery" },
      { field: "reference", message: "is required" },
    ]);
    expect(await api.post(`/v1/orders/${orderId}/acceptance`, { note: "fine" }, customer)).toMatchObject({
      status: 400,
      body: { errors: [{ field: "note", message: "is not a known field" }] },
    });
    // The role comes first: a caller who may not take the step learns nothing about the body.
    expect(await api.post(`/v1/orders/${orderId}/delivery`, { place: "" }, customer)).toMatchObject(forbidden);
  });

  it("lists a store's orders for staff, newest first, page by page, with their filters checked", async () => {
    const ids = [await submit(), await submit(), await submit()];
    await Promise.all(ids.map((id) => statusOf(id, "credit-checked")));
    const query = "storeId=store-sh-jingan&status=credit-checked&channel=website&minPriority=0";
    const first = await api.get(`/v1/orders?${query}&pageSize=2`, { "x-actor": "staff:s-7:order-taker" });
    expect(first).toMatchObject({ status: 200, body: { orders: [expect.anything(), expect.anything()] } });
    expect(first.body.orders[0]).not.toHaveProperty("timeline");
    const seen: { orderId: string; createdAt: string }[] = [...first.body.orders];
    let token = first.body.nextPageToken as string | undefined;
    while (token) {
      const next = await api.get(`/v1/orders?${query}&pageSize=2&pageToken=${encodeURIComponent(token)}`, finance);
      seen.push(...next.body.orders);
      token = next.body.nextPageToken;
    }
    expect(seen.map((o) => o.orderId)).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen.map((o) => o.orderId)).size).toBe(seen.length);
    const created = seen.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    expect(await api.get(`/v1/orders?${query}`, customer)).toMatchObject(forbidden);
    const wrong = await api.get("/v1/orders?pageSize=0&createdFrom=yesterday&minPriority=high&colour=red", finance);
    expect(wrong).toMatchObject({ status: 400 });
    expect(wrong.body.errors).toEqual([
      { field: "minPriority", message: "must be a number" },
      { field: "createdFrom", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
      { field: "pageSize", message: "must be at least 1" },
      { field: "colour", message: "is not a known field" },
    ]);
    expect(await api.get("/v1/orders?status=teleported", finance)).toMatchObject({ status: 400, body: { errors: [{ field: "status" }] } });
  });
});

describe("intake: corrections, asked by an order taker and applied on a supervisor's approval", () => {
  const orderTaker = { "x-actor": "staff:ot-1:order-taker" };
  const supervisor = { "x-actor": "staff:sv-1:supervisor" };
  const newAddress = { line1: "1 Hengshan Road", city: "Shanghai", district: "Xuhui", country: "CN" };
  const whats = (answer: HttpAnswer) => answer.body.timeline.map((t: { what: string }) => t.what) as string[];

  async function reservedOrder(): Promise<{ orderId: string; taskId: string }> {
    const orderId = await submit();
    const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    await publishEvents(namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId, lines: [] }, reporter)]);
    return { orderId, taskId: (await statusOf(orderId, "reserved")).body.taskId as string };
  }

  it("applies an approved address change with its audit entry, and has dispatch re-plan the delivery", async () => {
    const { orderId, taskId } = await reservedOrder();
    const reason = "customer moved; told us on the phone";

    expect(await api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress }, reason }, customer)).toMatchObject(forbidden);
    const filed = await api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress, phone: "+86 139 0000 1111" }, reason }, orderTaker);
    expect(filed).toMatchObject({ status: 201, body: { orderId, status: "pending", fields: ["customer.phone", "customer.address"], requestedBy: "staff:ot-1" } });
    const { correctionId } = filed.body;
    expect(filed.headers.get("location")).toBe(`/v1/corrections/${correctionId}`);

    // The order taker cannot approve it, not even as a supervisor under the same staff id.
    expect(await api.post(`/v1/corrections/${correctionId}/approval`, {}, orderTaker)).toMatchObject(forbidden);
    const ownApproval = await api.post(`/v1/corrections/${correctionId}/approval`, {}, { "x-actor": "staff:ot-1:supervisor" });
    expect(ownApproval).toMatchObject({ status: 403, body: { code: "correction.own-request" } });

    const queue = await api.get("/v1/corrections?storeId=store-sh-jingan", supervisor);
    expect(queue.body.corrections.map((c: { correctionId: string }) => c.correctionId)).toContain(correctionId);

    const approved = await api.post(`/v1/corrections/${correctionId}/approval`, { note: "checked with the customer" }, supervisor);
    expect(approved).toMatchObject({
      status: 200,
      body: { status: "applied", decidedBy: "staff:sv-1", note: "checked with the customer", previous: { region: "Jing'an", "customer.address": { district: "Jing'an" } } },
    });
    // Approving again (a double click) changes nothing; rejecting it now is refused.
    expect(await api.post(`/v1/corrections/${correctionId}/approval`, {}, supervisor)).toMatchObject({ status: 200, body: { status: "applied" } });
    expect(await api.post(`/v1/corrections/${correctionId}/rejection`, { reason: "no" }, supervisor)).toMatchObject({ status: 409 });

    const corrected = await eventually(async () => {
      const answer = await api.get(`/v1/orders/${orderId}`, customer);
      return whats(answer).includes("assignment.replan-requested") ? answer : undefined;
    });
    expect(whats(corrected)).toEqual(expect.arrayContaining(["order.correction-requested", "order.corrected"]));
    expect(corrected.body.timeline.find((t: { what: string }) => t.what === "order.corrected")).toMatchObject({ actor: "staff:sv-1" });
    // The timeline names the fields, never the new phone number or address.
    expect(JSON.stringify(corrected.body)).not.toContain("Hengshan");

    await fulfillment.relay.flush();
    const replans = (await readTopic(Topics.fulfillmentOrder, namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.type === EventTypes.AssignmentReplanRequested && e.orderId === orderId);
    expect(replans).toHaveLength(1);
    expect(replans[0]!.payload).toMatchObject({ taskId, region: "Xuhui", correctionId });
    const history = await api.get(`/v1/orders/${orderId}/corrections`, supervisor);
    expect(history.body.corrections).toEqual([expect.objectContaining({ correctionId, status: "applied", reason })]);
  });

  it("refuses a change the store cannot serve field by field, a second open request, and a new address once shipped", async () => {
    const orderId = await submit({ paymentMethod: "bank-transfer", prepaid: false });
    await statusOf(orderId, "credit-checked");
    const outside = await api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: { ...newAddress, district: "Pudong" } }, reason: "moved" }, orderTaker);
    expect(outside).toMatchObject({ status: 400, body: { code: "correction.invalid", errors: [{ field: "changes.address.district" }] } });
    expect(await api.post(`/v1/orders/${orderId}/corrections`, { changes: {}, reason: "nothing" }, orderTaker)).toMatchObject({ status: 400 });

    const first = await api.post(`/v1/orders/${orderId}/corrections`, { changes: { notes: "ring twice" }, reason: "customer asked" }, orderTaker);
    expect(first.status).toBe(201);
    const second = await api.post(`/v1/orders/${orderId}/corrections`, { changes: { notes: "ring once" }, reason: "changed mind" }, orderTaker);
    expect(second).toMatchObject({ status: 409, body: { code: "correction.already-pending" } });
    const rejected = await api.post(`/v1/corrections/${first.body.correctionId}/rejection`, { reason: "customer withdrew it" }, supervisor);
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected", rejectionReason: "customer withdrew it" } });

    await shipped(orderId);
    const late = await api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress }, reason: "moved" }, orderTaker);
    expect(late).toMatchObject({ status: 409, body: { code: "correction.too-late" } });
    expect(await api.post(`/v1/orders/${orderId}/corrections`, { changes: { phone: "+86 139 0000 2222" }, reason: "new number" }, orderTaker)).toMatchObject({ status: 201 });
  });
});

describe("intake: out of stock, the customer waits, takes a substitute or cancels", () => {
  const orderTaker = { "x-actor": "staff:ot-2:order-taker" };

  async function shortOrder(overrides: Record<string, unknown> = {}): Promise<{ orderId: string; reservationId: string }> {
    const orderId = await submit(overrides);
    const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    const lines = [{ sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "2026-12-01" }];
    await publishEvents(namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockShortage, { routing: [], reservationId, lines }, reporter)]);
    await statusOf(orderId, "on-hold");
    return { orderId, reservationId };
  }

  it("replaces the missing item with a cheaper one, refunds the difference of a prepaid order, and asks for stock again", async () => {
    const { orderId } = await shortOrder();
    const answer = await api.post(`/v1/orders/${orderId}/shortage-choice`, { choice: "substitute", substitutions: [{ sku: "KETTLE-1L7", substituteSku: "STRAWBERRY-500G" }] }, customer);
    expect(answer).toMatchObject({ status: 200, body: { status: "on-hold", reservationId: `${orderId}/reservation/2` } });
    // The demo order: kettle 199.00 + 2 towel sets 258.00, free shipping; strawberries 59.90 instead of the kettle.
    expect(answer.body.totals).toMatchObject({ linesMinor: 5_990 + 25_800, grandTotalMinor: 5_990 + 25_800 });
    expect(answer.body.timeline.find((t: { what: string }) => t.what === "order.lines-substituted")).toMatchObject({
      actor: "customer:c-42",
      detail: `KETTLE-1L7 → 1 × STRAWBERRY-500G; ${19_900 - 5_990} to refund`,
    });
    await fulfillment.relay.flush();
    const published = (await readTopic(Topics.fulfillmentOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
    const again = published.filter((e) => e?.type === EventTypes.StockReservationRequested).at(-1);
    expect(again?.payload).toMatchObject({ reservationId: `${orderId}/reservation/2`, lines: [expect.objectContaining({ sku: "STRAWBERRY-500G" }), expect.objectContaining({ sku: "TOWEL-SET-4" })] });
    // Intake's own copy follows, so a later correction hands on the order as it now stands.
    await eventually(async () => {
      const { rows } = await intake.runtime.pool.query<{ canonical: { lines: { sku: string }[] } }>("SELECT canonical FROM orders WHERE order_id = $1", [orderId]);
      return rows[0]?.canonical.lines[0]?.sku === "STRAWBERRY-500G" ? true : undefined;
    });
    // The substitutes are in stock: the order goes on, and there is no shortage left to answer.
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    await publishEvents(namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: `${orderId}/reservation/2`, lines: [] }, reporter)]);
    await statusOf(orderId, "reserved");
    const late = await api.post(`/v1/orders/${orderId}/shortage-choice`, { choice: "wait" }, customer);
    expect(late).toMatchObject({ status: 409, body: { code: "order.not-short" } });
  });

  it("keeps a waiting customer's order as a backorder, cancels with a refund on request, and refuses bad substitutes by field", async () => {
    const waiting = await shortOrder();
    const wait = await api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "wait", note: "will wait for the 1st" }, orderTaker);
    expect(wait).toMatchObject({ status: 200, body: { status: "on-hold", holdReason: "awaiting-stock" } });
    expect(wait.body.timeline.find((t: { what: string }) => t.what === "order.backorder-accepted")).toMatchObject({ detail: "will wait for the 1st", actor: "staff:ot-2" });

    const wrong = await api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "substitute", substitutions: [{ sku: "KETTLE-1L7", substituteSku: "SVC-DEEP-CLEAN" }] }, customer);
    expect(wrong).toMatchObject({ status: 400, body: { errors: [{ field: "substitutions[0].substituteSku", message: "is a service, not goods" }] } });
    expect(await api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "wait" }, { "x-actor": "staff:w-1:warehouse-clerk" })).toMatchObject(forbidden);

    const cancelled = await api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "cancel" }, customer);
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    expect(cancelled.body.timeline.find((t: { what: string }) => t.what === "order.cancellation")).toMatchObject({ detail: "out of stock: the customer chose to cancel" });
  });
});

describe("intake: while fulfillment has not taken an order over", () => {
  // Last: it stops fulfillment's consumer, so fulfillment never hears of the order.
  it("answers from intake's record, and asks commands to retry", async () => {
    await Promise.all(fulfillment.consumers.map((consumer) => consumer.stop()));
    const orderId = await submit();

    const answer = await api.get(`/v1/orders/${orderId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ orderId, status: "received", storeId: "store-sh-jingan", fulfillmentMethod: "ship", totals: { grandTotalMinor: 45_700 } });
    expect(answer.body.timeline).toEqual([{ at: answer.body.createdAt, service: "intake", what: "order.received", detail: "via website", actor: "customer:c-42" }]);

    for (const command of [
      await api.post(`/v1/orders/${orderId}/confirmation`, undefined, customer),
      await api.post(`/v1/orders/${orderId}/delivery`, delivery, rider),
    ]) {
      expect(command).toMatchObject({ status: 409, body: { code: "order.not-yet-handed-over" } });
      expect(command.headers.get("retry-after")).toBe("1");
    }
    // Billing has no settlement for it yet: that is billing's answer, not "no such order".
    expect(await api.get(`/v1/orders/${orderId}/settlement`, finance)).toMatchObject({ status: 404, body: { code: "settlement.not-found" } });
  });
});
