import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eventually, callerHeaders } from "@oms/testing";
import { demoOrder } from "../../services/intake/src/test-fixtures.ts";
import { customer, delivery, finance, forbidden, intakeInFrontOfFulfillment, rider } from "./intake-fulfillment-fixture.ts";

// Intake answering and commanding orders that fulfillment owns: status, the people's steps, listing.
const { world, submit, statusOf, shipped } = intakeInFrontOfFulfillment();

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
    const answer = await world.api.post(`/v1/orders/${orderId}/confirmation`, undefined, customer);
    expect(answer.status).toBe(200);
    expect(answer.body.status).not.toBe("awaiting-confirmation");
    expect(answer.body.timeline.find((t: { what: string }) => t.what === "order.confirmed")).toMatchObject({ actor: "customer:c-42" });
  });

  it("cancels with a reason, refuses a cancellation without one, and refuses what the order's state does not allow", async () => {
    const orderId = await submit({ confirmedByCustomer: false });
    await statusOf(orderId, "awaiting-confirmation");

    const noReason = await world.api.post(`/v1/orders/${orderId}/cancellation`, {}, customer);
    expect(noReason).toMatchObject({ status: 400, body: { errors: [{ field: "reason", message: "is required" }] } });

    const cancelled = await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "ordered by mistake" }, callerHeaders("staff:s-7:order-taker"));
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });

    const tooLate = await world.api.post(`/v1/orders/${orderId}/confirmation`, { note: "confirmed on the phone" }, customer);
    expect(tooLate).toMatchObject({ status: 409, body: { type: "https://oms.example/problems/illegal-state", detail: expect.stringContaining("cancelled") } });
  });

  it("holds an on-credit order for finance, who grants credit or refuses it with the reason the customer is told", async () => {
    const onCredit = { paymentMethod: "on-credit", prepaid: false };
    const granted = await submit(onCredit);
    expect((await statusOf(granted, "on-hold")).body.holdReason).toBe("awaiting-credit");
    const byClerk = await world.api.post(`/v1/orders/${granted}/credit-decision`, { approved: true }, callerHeaders("staff:s-7:order-taker"));
    expect(byClerk).toMatchObject(forbidden);
    const approval = await world.api.post(`/v1/orders/${granted}/credit-decision`, { approved: true, reason: "account in good standing" }, finance);
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    expect(approval.body.timeline.find((t: { what: string }) => t.what === "order.credit-checked")).toMatchObject({ actor: "staff:f-3" });
    const again = await world.api.post(`/v1/orders/${granted}/credit-decision`, { approved: true }, finance);
    expect(again).toMatchObject({ status: 409, body: { code: "order.not-awaiting-credit" } });

    const refused = await submit(onCredit);
    await statusOf(refused, "on-hold");
    const noReason = await world.api.post(`/v1/orders/${refused}/credit-decision`, { approved: false }, finance);
    expect(noReason).toMatchObject({ status: 400, body: { errors: [{ field: "reason", message: "a refusal of credit needs the reason the customer is told" }] } });
    const refusal = await world.api.post(`/v1/orders/${refused}/credit-decision`, { approved: false, reason: "two invoices overdue" }, finance);
    expect(refusal).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("answers 404 problem details for an order nobody knows", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const answer of [
      await world.api.get(`/v1/orders/${unknown}`),
      await world.api.post(`/v1/orders/${unknown}/confirmation`),
      await world.api.post(`/v1/orders/${unknown}/cancellation`, { reason: "no longer needed" }),
      await world.api.post(`/v1/orders/${unknown}/delivery`, delivery, rider),
      await world.api.post(`/v1/orders/${unknown}/acceptance`, undefined, customer),
      await world.api.post(`/v1/orders/${unknown}/closure`, undefined, finance),
      await world.api.get(`/v1/orders/${unknown}/settlement`, finance),
      await world.api.post(`/v1/orders/${unknown}/payments`, { amountMinor: 100, currency: "CNY", method: "bank-transfer", reference: "B-1" }, finance),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { status: 404, code: "order.not-found" } });
    }
  });
});

describe("intake: the people's steps after assignment, each asked of its owner as the caller", () => {
  it("drives a pay-later order through delivery, acceptance, payment and closing, each step by its role", async () => {
    const orderId = await submit({ paymentMethod: "bank-transfer", prepaid: false });
    expect((await shipped(orderId)).body).toMatchObject({ trackingNumber: "SF1234567", taskId: `${orderId}/task/1` });

    expect(await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, customer)).toMatchObject(forbidden);
    const delivered = await world.api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, deliveredAt: new Date().toISOString() }, rider);
    expect(delivered).toMatchObject({ status: 200, body: { status: "delivered" } });
    expect(delivered.body.timeline.find((t: { what: string }) => t.what === "delivery.recorded")).toMatchObject({ actor: "staff:r-7" });

    expect(await world.api.post(`/v1/orders/${orderId}/acceptance`, undefined, rider)).toMatchObject(forbidden);
    expect(await world.api.post(`/v1/orders/${orderId}/acceptance`, {}, customer)).toMatchObject({ status: 200, body: { status: "completed" } });

    const due = await eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}/settlement`, finance);
      return answer.status === 200 ? answer : undefined;
    });
    expect(due.body).toMatchObject({ orderId, status: "awaiting-payment", currency: "CNY", amountDueMinor: 45_700, amountPaidMinor: 0, outstandingMinor: 45_700, paymentMethod: "bank-transfer" });
    expect(await world.api.get(`/v1/orders/${orderId}/settlement`, customer)).toMatchObject(forbidden);

    const payment = { amountMinor: 45_700, currency: "CNY", method: "bank-transfer", reference: `ICBC-${orderId}` };
    expect(await world.api.post(`/v1/orders/${orderId}/payments`, payment, rider)).toMatchObject(forbidden);
    const tooMuch = await world.api.post(`/v1/orders/${orderId}/payments`, { ...payment, amountMinor: 50_000, reference: "other" }, finance);
    expect(tooMuch).toMatchObject({ status: 409, body: { code: "settlement.rule-violation", detail: expect.stringContaining("exceeds the outstanding 45700") } });
    const paid = await world.api.post(`/v1/orders/${orderId}/payments`, payment, finance);
    expect(paid).toMatchObject({ status: 200, body: { status: "paid", amountPaidMinor: 45_700, outstandingMinor: 0 } });
    // The same reference again is the same payment, not a second one.
    expect(await world.api.post(`/v1/orders/${orderId}/payments`, payment, finance)).toMatchObject({ status: 200, body: { amountPaidMinor: 45_700 } });

    await statusOf(orderId, "settled");
    expect(await world.api.post(`/v1/orders/${orderId}/closure`, undefined, rider)).toMatchObject(forbidden);
    const closed = await world.api.post(`/v1/orders/${orderId}/closure`, undefined, finance);
    expect(closed).toMatchObject({ status: 200, body: { status: "closed" } });
    expect(closed.body.timeline.find((t: { what: string }) => t.what === "order.closed")).toMatchObject({ actor: "staff:f-3" });
  });

  it("closes a day's settled orders in one request, each answered on its own, the one not settled yet with its problem", async () => {
    const [first, notYet, second] = [await submit(), await submit(), await submit()];
    for (const orderId of [first, second]) {
      await shipped(orderId);
      await world.api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, deliveredAt: new Date().toISOString() }, rider);
      await world.api.post(`/v1/orders/${orderId}/acceptance`, {}, customer);
      await statusOf(orderId, "settled");
    }

    expect(await world.api.post("/v1/order-closures", { orderIds: [first] }, rider)).toMatchObject(forbidden);
    const closure = await world.api.post("/v1/order-closures", { orderIds: [first, notYet, second] }, finance);

    expect(closure.status).toBe(200);
    expect(closure.body.outcomes).toEqual([
      { orderId: first, status: "closed" },
      { orderId: notYet, problem: expect.objectContaining({ status: 409, code: "order.not-closable", detail: expect.stringContaining("finance closes settled orders only") }) },
      { orderId: second, status: "closed" },
    ]);
    // Read as the customer: finance is the store (ADR 022, twenty-sixth session).
    expect((await statusOf(second, "closed")).body.timeline.find((t: { what: string }) => t.what === "order.closed")).toMatchObject({ actor: "store" });
    expect((await world.api.post("/v1/order-closures", { orderIds: [first, first] }, finance)).body.errors).toEqual([
      { field: "orderIds[1]", message: `${first} is already in the closure` },
    ]);
  });

  it("sends a refused delivery to rework with the customer's reasons, and refuses what the state does not allow", async () => {
    const orderId = await submit();
    await shipped(orderId);
    expect(await world.api.post(`/v1/orders/${orderId}/rejection`, { reason: "too early" }, customer)).toMatchObject({
      status: 409,
      body: { code: "order.not-rejectable" },
    });
    await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, rider);
    expect(await world.api.post(`/v1/orders/${orderId}/rejection`, { reason: " " }, customer)).toMatchObject({
      status: 400,
      body: { errors: [{ field: "reason", message: "must not be empty" }] },
    });
    const rework = await world.api.post(`/v1/orders/${orderId}/rejection`, { reason: "The kettle's lid is cracked" }, customer);
    expect(rework).toMatchObject({ status: 200, body: { status: "rework" } });
    expect(rework.body.timeline.at(-1)).toMatchObject({ detail: expect.stringContaining("lid is cracked"), actor: "customer:c-42" });
    expect(await world.api.post(`/v1/orders/${orderId}/closure`, undefined, finance)).toMatchObject({ status: 409, body: { code: "order.not-closable" } });
  });

  it("refuses bad bodies field by field, before asking anyone", async () => {
    const orderId = await submit();
    const wrongDelivery = await world.api.post(`/v1/orders/${orderId}/delivery`, { place: "", method: "courier", proofKind: "fingerprint", collectedMinor: -5, extra: 1 }, rider);
    expect(wrongDelivery).toMatchObject({ status: 400, body: { code: "validation.failed" } });
    expect(wrongDelivery.body.errors).toEqual([
      { field: "place", message: "must not be empty" },
      { field: "proofKind", message: "must be one of signature, photo, one-time-code" },
      { field: "proofRef", message: "is required" },
      { field: "collectedMinor", message: "must be at least 0" },
      { field: "extra", message: "is not a known field" },
    ]);
    const wrongPayment = await world.api.post(`/v1/orders/${orderId}/payments`, { amountMinor: 10.5, currency: "yuan", method: "on-credit" }, finance);
    expect(wrongPayment.body.errors).toEqual([
      { field: "amountMinor", message: "must be a whole number" },
      { field: "currency", message: "must be an ISO 4217 currency code, e.g. CNY" },
      { field: "method", message: "must be one of cash, bank-transfer, cheque, third-party, card-on-delivery" },
      { field: "reference", message: "is required" },
    ]);
    expect(await world.api.post(`/v1/orders/${orderId}/acceptance`, { note: "fine" }, customer)).toMatchObject({
      status: 400,
      body: { errors: [{ field: "note", message: "is not a known field" }] },
    });
    // The role comes first: a caller who may not take the step learns nothing about the body.
    expect(await world.api.post(`/v1/orders/${orderId}/delivery`, { place: "" }, customer)).toMatchObject(forbidden);
  });

  it("lists a store's orders for staff, newest first, page by page, with their filters checked", async () => {
    const ids = [await submit(), await submit(), await submit()];
    await Promise.all(ids.map((id) => statusOf(id, "credit-checked")));
    const query = "storeId=store-sh-jingan&status=credit-checked&channel=website&minPriority=0";
    const first = await world.api.get(`/v1/orders?${query}&pageSize=2`, callerHeaders("staff:s-7:order-taker"));
    expect(first).toMatchObject({ status: 200, body: { orders: [expect.anything(), expect.anything()] } });
    expect(first.body.orders[0]).not.toHaveProperty("timeline");
    const seen: { orderId: string; createdAt: string }[] = [...first.body.orders];
    let token = first.body.nextPageToken as string | undefined;
    while (token) {
      const next = await world.api.get(`/v1/orders?${query}&pageSize=2&pageToken=${encodeURIComponent(token)}`, finance);
      seen.push(...next.body.orders);
      token = next.body.nextPageToken;
    }
    expect(seen.map((o) => o.orderId)).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen.map((o) => o.orderId)).size).toBe(seen.length);
    const created = seen.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    expect(await world.api.get(`/v1/orders?${query}`, customer)).toMatchObject(forbidden);
    const wrong = await world.api.get("/v1/orders?pageSize=0&createdFrom=yesterday&minPriority=high&colour=red", finance);
    expect(wrong).toMatchObject({ status: 400 });
    expect(wrong.body.errors).toEqual([
      { field: "minPriority", message: "must be a number" },
      { field: "createdFrom", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
      { field: "pageSize", message: "must be at least 1" },
      { field: "colour", message: "is not a known field" },
    ]);
    expect(await world.api.get("/v1/orders?status=teleported", finance)).toMatchObject({ status: 400, body: { errors: [{ field: "status" }] } });
  });
});


describe("intake: a customer's own orders", () => {
  it("lists them newest first, a page at a time, each with where fulfillment says it stands; to them and to customer service only", async () => {
    const customerId = `c-${randomUUID().slice(0, 8)}`;
    const me = callerHeaders(`customer:${customerId}`);
    const demo = await demoOrder();
    const placed: string[] = [];
    // Each signed in as themself: a customer's order names no other account (ADR 022, twenty-fifth session).
    const placeAs = async (id: string) => {
      const answer = await world.api.post("/v1/orders", await demoOrder({ customer: { ...(demo.customer as object), customerId: id } }), callerHeaders(`customer:${id}`));
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.orderId as string;
    };
    for (let i = 0; i < 3; i++) placed.push(await placeAs(customerId));
    await placeAs(`${customerId}-other`);

    const first = await eventually(async () => {
      const answer = await world.api.get(`/v1/customers/${customerId}/orders?pageSize=2`, me);
      // Fulfillment has taken both over once neither is still only "received" at intake.
      return answer.status === 200 && answer.body.orders.every((o: { status: string }) => o.status !== "received") ? answer : undefined;
    });
    expect(first.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([placed[2], placed[1]]);
    expect(first.body.orders[0]).toMatchObject({ channel: "website", storeId: "store-sh-jingan", kind: "goods", currency: "CNY" });
    const second = await world.api.get(`/v1/customers/${customerId}/orders?pageSize=2&pageToken=${first.body.nextPageToken}`, me);
    expect(second.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([placed[0]]);
    expect(second.body.nextPageToken).toBeUndefined();

    expect((await world.api.get(`/v1/customers/${customerId}/orders`, callerHeaders("customer:c-someone-else"))).status).toBe(403);
    expect((await world.api.get(`/v1/customers/${customerId}/orders`, {})).status).toBe(403);
    expect((await world.api.get(`/v1/customers/${customerId}/orders`, callerHeaders("staff:cs-1:customer-service"))).body.orders).toHaveLength(3);
    expect((await world.api.get(`/v1/customers/${customerId}/orders?pageToken=nonsense`, me)).body.errors).toEqual([{ field: "pageToken", message: "is not a page token this list gave" }]);
  });
});


describe("intake: a delivery is recorded by the one who holds it (ADR 022, twenty-seventh session, second reading)", () => {
  it("refuses another rider, and the counter on a shipped order, leaving it shipped; the store manager records it on the rider's behalf", async () => {
    const orderId = await submit({});
    await shipped(orderId);
    // Dispatch gave it to r-7 (the fixture's TaskAssigned): a colleague of the same store is told whose it is not.
    for (const [caller, code] of [["staff:r-8:rider@store-sh-jingan", "order.delivery-not-theirs"], ["staff:t-2:service-staff", "order.delivery-not-theirs"], ["staff:c-1:counter", "order.delivery-by-staff"]] as const) {
      const refused = await world.api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, deliveredAt: new Date().toISOString() }, callerHeaders(caller));
      expect(refused, caller).toMatchObject({ status: 403, body: { code } });
    }
    expect((await statusOf(orderId, "shipped")).body.timeline.map((t: { what: string }) => t.what)).not.toContain("delivery.recorded");
    const byManager = await world.api.post(`/v1/orders/${orderId}/delivery`, { ...delivery, deliveredAt: new Date().toISOString() }, callerHeaders("staff:m-1:store-manager@store-sh-jingan"));
    expect(byManager).toMatchObject({ status: 200, body: { status: "delivered" } });
  });
});

describe("intake: while fulfillment has not taken an order over", () => {
  // Last: it stops fulfillment's consumer, so fulfillment never hears of the order.
  it("answers from intake's record, and asks commands to retry", async () => {
    await Promise.all(world.fulfillment.consumers.map((consumer) => consumer.stop()));
    const orderId = await submit();

    const answer = await world.api.get(`/v1/orders/${orderId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ orderId, status: "received", storeId: "store-sh-jingan", fulfillmentMethod: "ship", totals: { grandTotalMinor: 45_700 } });
    expect(answer.body.timeline).toEqual([
      { at: answer.body.createdAt, service: "intake", what: "order.received", detail: "via website", actor: "customer:c-42", kind: "order-received", customerVisible: true, facts: {} },
    ]);

    for (const command of [
      await world.api.post(`/v1/orders/${orderId}/confirmation`, undefined, customer),
      await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, rider),
    ]) {
      expect(command).toMatchObject({ status: 409, body: { code: "order.not-yet-handed-over" } });
      expect(command.headers.get("retry-after")).toBe("1");
    }
    // Billing has no settlement for it yet: that is billing's answer, not "no such order".
    expect(await world.api.get(`/v1/orders/${orderId}/settlement`, finance)).toMatchObject({ status: 404, body: { code: "settlement.not-found" } });
  });
});
