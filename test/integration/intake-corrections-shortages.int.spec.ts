import { describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic, callerHeaders } from "@oms/testing";
import type { HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { customer, forbidden, intakeInFrontOfFulfillment, system } from "./intake-fulfillment-fixture.ts";

// Intake asking fulfillment to change an order: corrections on approval, and the customer's choice when stock is short.
const { world, submit, statusOf, shipped } = intakeInFrontOfFulfillment();

describe("intake: corrections, asked by an order taker and applied on a supervisor's approval", () => {
  const orderTaker = callerHeaders("staff:ot-1:order-taker");
  const supervisor = callerHeaders("staff:sv-1:supervisor");
  const newAddress = { line1: "1 Hengshan Road", city: "Shanghai", district: "Xuhui", country: "CN" };
  const whats = (answer: HttpAnswer) => answer.body.timeline.map((t: { what: string }) => t.what) as string[];

  async function reservedOrder(): Promise<{ orderId: string; taskId: string }> {
    const orderId = await submit();
    const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    await publishEvents(world.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId, lines: [] }, reporter)]);
    return { orderId, taskId: (await statusOf(orderId, "reserved")).body.taskId as string };
  }

  it("applies an approved address change with its audit entry, and has dispatch re-plan the delivery", async () => {
    const { orderId, taskId } = await reservedOrder();
    const reason = "customer moved; told us on the phone";

    expect(await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress }, reason }, customer)).toMatchObject(forbidden);
    const filed = await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress, phone: "+86 139 0000 1111" }, reason }, orderTaker);
    expect(filed).toMatchObject({ status: 201, body: { orderId, status: "pending", fields: ["customer.phone", "customer.address"], requestedBy: "staff:ot-1" } });
    const { correctionId } = filed.body;
    expect(filed.headers.get("location")).toBe(`/v1/corrections/${correctionId}`);

    // The order taker cannot approve it, not even as a supervisor under the same staff id.
    expect(await world.api.post(`/v1/corrections/${correctionId}/approval`, {}, orderTaker)).toMatchObject(forbidden);
    const ownApproval = await world.api.post(`/v1/corrections/${correctionId}/approval`, {}, callerHeaders("staff:ot-1:supervisor"));
    expect(ownApproval).toMatchObject({ status: 403, body: { code: "correction.own-request" } });

    const queue = await world.api.get("/v1/corrections?storeId=store-sh-jingan", supervisor);
    expect(queue.body.corrections.map((c: { correctionId: string }) => c.correctionId)).toContain(correctionId);

    const approved = await world.api.post(`/v1/corrections/${correctionId}/approval`, { note: "checked with the customer" }, supervisor);
    expect(approved).toMatchObject({
      status: 200,
      body: { status: "applied", decidedBy: "staff:sv-1", note: "checked with the customer", previous: { region: "Jing'an", "customer.address": { district: "Jing'an" } } },
    });
    // Approving again (a double click) changes nothing; rejecting it now is refused.
    expect(await world.api.post(`/v1/corrections/${correctionId}/approval`, {}, supervisor)).toMatchObject({ status: 200, body: { status: "applied" } });
    expect(await world.api.post(`/v1/corrections/${correctionId}/rejection`, { reason: "no" }, supervisor)).toMatchObject({ status: 409 });

    const replanned = await eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}`, supervisor);
      return whats(answer).includes("assignment.replan-requested") ? answer : undefined;
    });
    expect(whats(replanned)).toEqual(expect.arrayContaining(["order.correction-requested", "order.corrected"]));
    // The customer reads the correction by the fields it changed, the supervisor in kind (ADR 022, twenty-sixth session), and not the
    // request and replanning behind it, which are the store's working (twenty-seventh session).
    const corrected = await world.api.get(`/v1/orders/${orderId}`, customer);
    expect(corrected.body.timeline.find((t: { what: string }) => t.what === "order.corrected")).toMatchObject({ actor: "store", kind: "order-corrected" });
    expect(whats(corrected)).not.toContain("order.correction-requested");
    expect(whats(corrected)).not.toContain("assignment.replan-requested");
    // The timeline names the fields, never the new phone number or address.
    expect(JSON.stringify(corrected.body)).not.toContain("Hengshan");

    await world.fulfillment.relay.flush();
    const replans = (await readTopic(Topics.fulfillmentOrder, world.namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.type === EventTypes.AssignmentReplanRequested && e.orderId === orderId);
    expect(replans).toHaveLength(1);
    expect(replans[0]!.payload).toMatchObject({ taskId, region: "Xuhui", correctionId });
    const history = await world.api.get(`/v1/orders/${orderId}/corrections`, supervisor);
    expect(history.body.corrections).toEqual([expect.objectContaining({ correctionId, status: "applied", reason })]);

    // The new phone and street, and the ones they replaced, are sealed in intake's tables and on its topic (ADR 024)…
    const clearValues = ["Hengshan", "139 0000 1111", "Nanjing West"];
    const { rows } = await world.intake.runtime.pool.query<{ clear: string }>(
      "SELECT o.canonical::text || coalesce(c.changes::text, '') || coalesce(c.previous::text, '') AS clear FROM orders o JOIN order_corrections c USING (order_id) WHERE o.order_id = $1",
      [orderId],
    );
    await world.intake.relay.flush();
    const published = (await readTopic(Topics.intakeOrder, world.namespace.name)).filter((m) => String(m.key) === orderId).map((m) => Buffer.from(m.value!).toString("latin1"));
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const value of clearValues) expect(rows[0]!.clear + published.join(""), value).not.toContain(value);
    // …and shown, logged, to whose work reaches the customer.
    expect((await world.api.get(`/v1/orders/${orderId}/contact`, orderTaker)).body).toMatchObject({ phone: "+86 139 0000 1111", address: { line1: "1 Hengshan Road", district: "Xuhui" } });
  });

  it("refuses a change the store cannot serve field by field, a second open request, and a new address once shipped", async () => {
    const orderId = await submit({ paymentMethod: "bank-transfer", prepaid: false });
    await statusOf(orderId, "credit-checked");
    const outside = await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: { ...newAddress, district: "Pudong" } }, reason: "moved" }, orderTaker);
    expect(outside).toMatchObject({ status: 400, body: { code: "correction.invalid", errors: [{ field: "changes.address.district" }] } });
    expect(await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: {}, reason: "nothing" }, orderTaker)).toMatchObject({ status: 400 });

    const first = await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { notes: "ring twice" }, reason: "customer asked" }, orderTaker);
    expect(first.status).toBe(201);
    const second = await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { notes: "ring once" }, reason: "changed mind" }, orderTaker);
    expect(second).toMatchObject({ status: 409, body: { code: "correction.already-pending" } });
    const rejected = await world.api.post(`/v1/corrections/${first.body.correctionId}/rejection`, { reason: "customer withdrew it" }, supervisor);
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected", rejectionReason: "customer withdrew it" } });

    await shipped(orderId);
    const late = await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { address: newAddress }, reason: "moved" }, orderTaker);
    expect(late).toMatchObject({ status: 409, body: { code: "correction.too-late" } });
    expect(await world.api.post(`/v1/orders/${orderId}/corrections`, { changes: { phone: "+86 139 0000 2222" }, reason: "new number" }, orderTaker)).toMatchObject({ status: 201 });
  });
});

describe("intake: out of stock, the customer waits, takes a substitute or cancels", () => {
  const orderTaker = callerHeaders("staff:ot-2:order-taker");

  async function shortOrder(overrides: Record<string, unknown> = {}): Promise<{ orderId: string; reservationId: string }> {
    const orderId = await submit(overrides);
    const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    const lines = [{ sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "2026-12-01" }];
    await publishEvents(world.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockShortage, { routing: [], reservationId, lines }, reporter)]);
    await statusOf(orderId, "on-hold");
    return { orderId, reservationId };
  }

  it("replaces the missing item with a cheaper one, refunds the difference of a prepaid order, and asks for stock again", async () => {
    const { orderId } = await shortOrder();
    const answer = await world.api.post(`/v1/orders/${orderId}/shortage-choice`, { choice: "substitute", substitutions: [{ sku: "KETTLE-1L7", substituteSku: "STRAWBERRY-500G" }] }, customer);
    expect(answer).toMatchObject({ status: 200, body: { status: "on-hold", reservationId: `${orderId}/reservation/2` } });
    // The demo order: kettle 199.00 + 2 towel sets 258.00, free shipping; strawberries 59.90 instead of the kettle.
    expect(answer.body.totals).toMatchObject({ linesMinor: 5_990 + 25_800, grandTotalMinor: 5_990 + 25_800 });
    expect(answer.body.timeline.find((t: { what: string }) => t.what === "order.lines-substituted")).toMatchObject({
      actor: "customer:c-42",
      detail: `KETTLE-1L7 → 1 × STRAWBERRY-500G; ${19_900 - 5_990} to refund`,
    });
    await world.fulfillment.relay.flush();
    const published = (await readTopic(Topics.fulfillmentOrder, world.namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
    const again = published.filter((e) => e?.type === EventTypes.StockReservationRequested).at(-1);
    expect(again?.payload).toMatchObject({ reservationId: `${orderId}/reservation/2`, lines: [expect.objectContaining({ sku: "STRAWBERRY-500G" }), expect.objectContaining({ sku: "TOWEL-SET-4" })] });
    // Intake's own copy follows, so a later correction hands on the order as it now stands.
    await eventually(async () => {
      const { rows } = await world.intake.runtime.pool.query<{ canonical: { lines: { sku: string }[] } }>("SELECT canonical FROM orders WHERE order_id = $1", [orderId]);
      return rows[0]?.canonical.lines[0]?.sku === "STRAWBERRY-500G" ? true : undefined;
    });
    // The substitutes are in stock: the order goes on, and there is no shortage left to answer.
    const reporter = { producer: "warehouse", orderId, storeId: "store-sh-jingan", actor: system };
    await publishEvents(world.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: `${orderId}/reservation/2`, lines: [] }, reporter)]);
    await statusOf(orderId, "reserved");
    const late = await world.api.post(`/v1/orders/${orderId}/shortage-choice`, { choice: "wait" }, customer);
    expect(late).toMatchObject({ status: 409, body: { code: "order.not-short" } });
  });

  it("keeps a waiting customer's order as a backorder, cancels with a refund on request, and refuses bad substitutes by field", async () => {
    const waiting = await shortOrder();
    const wait = await world.api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "wait", note: "will wait for the 1st" }, orderTaker);
    expect(wait).toMatchObject({ status: 200, body: { status: "on-hold", holdReason: "awaiting-stock" } });
    expect(wait.body.timeline.find((t: { what: string }) => t.what === "order.backorder-accepted")).toMatchObject({ detail: "will wait for the 1st", actor: "staff:ot-2" });

    const wrong = await world.api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "substitute", substitutions: [{ sku: "KETTLE-1L7", substituteSku: "SVC-DEEP-CLEAN" }] }, customer);
    expect(wrong).toMatchObject({ status: 400, body: { errors: [{ field: "substitutions[0].substituteSku", message: "is a service, not goods" }] } });
    expect(await world.api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "wait" }, callerHeaders("staff:w-1:warehouse-clerk"))).toMatchObject(forbidden);

    const cancelled = await world.api.post(`/v1/orders/${waiting.orderId}/shortage-choice`, { choice: "cancel" }, customer);
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    // The customer reads the cancellation's reason code in their words (ADR 022, twenty-seventh-session addendum).
    expect(cancelled.body.timeline.find((t: { what: string }) => t.what === "order.cancellation")).toMatchObject({ detail: "cancelled: the goods are out of stock" });
  });
});
