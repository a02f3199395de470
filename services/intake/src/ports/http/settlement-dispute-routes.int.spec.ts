import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders, publishEvents, readEveryPage } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { consumed, orderCreated, prepaidWebsite, settlementRequested, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { demoOrder, expectProblem } from "../../test-fixtures.ts";
import { startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// Settlement disputes through intake's REST API, asked of a real billing over gRPC (ADR 026):
// the order's customer opens one on their own order (a retry is the same dispute), the
// departments involved add findings, finance cannot close the order while it is open, and
// resolves it — upheld with a refund, or rejected with the reason; the customer reads the
// answer, not the store's working papers.
let billing: BillingUnderTest;
let intake: RunningService;
let api: IntakeWithBilling["api"];
let system: IntakeWithBilling;

beforeAll(async () => {
  system = await startIntakeWithBilling();
  ({ billing, intake } = system);
  await seedDemoCatalogue(intake.runtime.pool);
  api = system.api;
});

afterAll(() => system?.stop());

const finance = callerHeaders("staff:f-1:finance");
const warehouseClerk = callerHeaders("staff:w-1:warehouse-clerk");
const storeManager = callerHeaders("staff:sm-1:store-manager");
const customerService = callerHeaders("staff:cs-1:customer-service");

/** The demo order, taken by intake for this customer, prepaid, once billing holds its money (10,800 CNY at store-test); answers its id. */
async function paidOrderOf(customerId: string): Promise<string> {
  const order = await demoOrder();
  const placed = await api.post("/v1/orders", { ...order, customer: { ...(order.customer as object), customerId } }, callerHeaders(`customer:${customerId}`));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
  await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, events);
  await consumed(billing.billing.runtime.pool, ...events);
  return orderId;
}

const refundMissing = { requestId: "app-1", kind: "refund-missing", amountMinor: 2_000, statement: "The refund for the returned kettle never arrived." };

describe("intake: settlement disputes, asked of billing", () => {
  it("are opened by the order's customer once per request id, within the order's money, and refused to other customers", async () => {
    const customerId = `c-${randomUUID()}`;
    const customer = callerHeaders(`customer:${customerId}`);
    const orderId = await paidOrderOf(customerId);
    const opened = await api.post(`/v1/orders/${orderId}/settlement-disputes`, refundMissing, customer);
    expect(opened).toMatchObject({ status: 201, body: { orderId, kind: "refund-missing", amount: { minor: 2_000, currency: "CNY" }, status: "open", openedBy: `customer:${customerId}`, escalatedAt: null } });
    // The customer reads the state and their answer; the departments and their findings are the store's.
    expect(opened.body.departments).toEqual([]);
    const retried = await api.post(`/v1/orders/${orderId}/settlement-disputes`, refundMissing, customer);
    expect(retried).toMatchObject({ status: 201, body: { disputeId: opened.body.disputeId } });
    const reused = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, amountMinor: 3_000 }, customer);
    expectProblem(reused, 409, "settlement-dispute.request-id-reused");
    expect(reused.body.detail).toContain("app-1");

    const tooMuch = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "app-2", amountMinor: 10_801 }, customer);
    expectProblem(tooMuch, 400);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ field: "amountMinor", message: expect.stringContaining("at most 10800 CNY") })]);
    const wrongKind = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "app-3", kind: "weather", statement: "" }, customer);
    expectProblem(wrongKind, 400);
    expect(wrongKind.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["kind", "statement"]);

    // Another customer's order is answered as one nobody placed (ADR 022, twenty-fifth session).
    expectProblem(await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "x" }, callerHeaders("customer:c-42")), 404, "order.not-found");
    expectProblem(await api.get(`/v1/orders/${orderId}/settlement-disputes`, callerHeaders("customer:c-42")), 404, "order.not-found");
    expectProblem(await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "x" }, warehouseClerk), 403, "caller.not-permitted");
    expectProblem(await api.post(`/v1/orders/${randomUUID()}/settlement-disputes`, refundMissing, customerService), 404, "order.not-found");
  });

  it("name no member of staff to the customer: a dispute the desk opened for them reads opened by the store, and reusing its request id is refused without the agent's id", async () => {
    // ADR 022, twenty-sixth-session addendum: what a customer sees of the store's staff.
    const customerId = `c-${randomUUID()}`;
    const customer = callerHeaders(`customer:${customerId}`);
    const orderId = await paidOrderOf(customerId);
    const byDesk = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "desk-1" }, customerService);
    expect(byDesk).toMatchObject({ status: 201, body: { openedBy: "staff:cs-1" } });
    const reused = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "desk-1", amountMinor: 1_000 }, customer);
    expectProblem(reused, 409, "settlement-dispute.request-id-reused");
    expect(reused.body.detail).toContain("desk-1");
    expect(JSON.stringify(reused.body)).not.toContain("cs-1");
    const listed = await api.get(`/v1/orders/${orderId}/settlement-disputes`, customer);
    expect(listed.body.disputes).toEqual([expect.objectContaining({ requestId: "desk-1", openedBy: "store" })]);
    expect(JSON.stringify(listed.body)).not.toContain("cs-1");
    // The desk reads who opened it, and is told who holds the id.
    expect((await api.get(`/v1/orders/${orderId}/settlement-disputes`, customerService)).body.disputes).toEqual([expect.objectContaining({ openedBy: "staff:cs-1" })]);
    expect((await api.post(`/v1/orders/${orderId}/settlement-disputes`, { ...refundMissing, requestId: "desk-1", amountMinor: 1_000 }, finance)).body.detail).toContain("staff:cs-1");
  });

  it("are handled with the departments involved, block the order's closure while open, and are resolved by finance with a refund", async () => {
    const customerId = `c-${randomUUID()}`;
    const customer = callerHeaders(`customer:${customerId}`);
    const orderId = await paidOrderOf(customerId);
    const { body: dispute } = await api.post(`/v1/orders/${orderId}/settlement-disputes`, refundMissing, customerService);
    expect(dispute.departments).toEqual(["finance", "warehouse"]);
    const disputeId = dispute.disputeId as string;

    const finding = (caller: Record<string, string>, findingId: string, text: string) => api.post(`/v1/settlement-disputes/${disputeId}/findings`, { findingId, finding: text }, caller);
    expect(await finding(warehouseClerk, "wh-1", "Return RET-7 received and restocked on the 3rd.")).toMatchObject({ status: 201 });
    const both = await finding(finance, "fin-1", "No refund issued for RET-7.");
    expect(both).toMatchObject({ status: 201, body: { findings: [{ department: "warehouse", recordedBy: "staff:w-1" }, { department: "finance", recordedBy: "staff:f-1" }] } });
    expectProblem(await finding(storeManager, "sm-1", "We served them well."), 403, "settlement-dispute.department-not-involved");
    expectProblem(await finding(callerHeaders("staff:a-1:auditor"), "a-1", "x"), 403, "caller.not-permitted");
    const noWords = await finding(finance, "fin-2", "");
    expectProblem(noWords, 400);
    expect(noWords.body.errors).toEqual([expect.objectContaining({ field: "finding" })]);

    // DOMAIN.md: finance closes an order when all its money is clear — not while it is disputed.
    const closing = await api.post(`/v1/orders/${orderId}/closure`, undefined, finance);
    expectProblem(closing, 409, "order.settlement-dispute-open");
    expect(closing.body.detail).toContain(disputeId);
    const bulk = await api.post("/v1/order-closures", { orderIds: [orderId] }, finance);
    expect(bulk).toMatchObject({ status: 200, body: { outcomes: [{ orderId, problem: { status: 409, code: "order.settlement-dispute-open" } }] } });

    const worklist = await api.get("/v1/stores/store-test/settlement-disputes?status=open", storeManager);
    expect(worklist.status).toBe(200);
    expect(worklist.body.disputes.map((d: { disputeId: string }) => d.disputeId)).toContain(disputeId);
    expectProblem(await api.get("/v1/stores/store-test/settlement-disputes?status=maybe", finance), 400);
    expectProblem(await api.get("/v1/stores/store-test/settlement-disputes", customer), 403, "caller.not-permitted");

    const upheld = { outcome: "upheld", correction: "refund", refundMinor: 2_000, reason: "return received, refund never issued", customerAnswer: "We are sorry: your refund of 20.00 is on its way." };
    expectProblem(await api.post(`/v1/settlement-disputes/${disputeId}/resolution`, upheld, storeManager), 403, "caller.not-permitted");
    const resolved = await api.post(`/v1/settlement-disputes/${disputeId}/resolution`, upheld, finance);
    expect(resolved).toMatchObject({ status: 200, body: { status: "resolved", resolution: { outcome: "upheld", correction: "refund", refunded: { minor: 2_000 }, resolvedBy: "staff:f-1" } } });
    const refunds = await api.get(`/v1/orders/${orderId}/refunds`, finance);
    expect(refunds.body.refunds).toMatchObject([{ refundId: resolved.body.resolution.refundIds[0], amount: { minor: 2_000 }, reference: `dispute:${disputeId}` }]);
    expectProblem(await api.post(`/v1/settlement-disputes/${disputeId}/resolution`, { ...upheld, refundMinor: 1_000 }, finance), 409, "settlement-dispute.already-resolved");

    // The customer reads the answer they were given, not the findings nor finance's reason.
    const seen = await api.get(`/v1/orders/${orderId}/settlement-disputes`, customer);
    expect(seen).toMatchObject({ status: 200, body: { disputes: [{ disputeId, status: "resolved", findings: [], resolution: { customerAnswer: upheld.customerAnswer, reason: "", resolvedBy: "" } }] } });
    expect((await api.get(`/v1/orders/${orderId}/settlement-disputes`, finance)).body.disputes[0].findings).toHaveLength(2);
    expect((await api.get("/v1/stores/store-test/settlement-disputes?status=open", finance)).body.disputes.map((d: { disputeId: string }) => d.disputeId)).not.toContain(disputeId);
    // Resolved, the dispute no longer holds the closure back (fulfillment, not running here, decides the rest).
    expect((await api.post(`/v1/orders/${orderId}/closure`, undefined, finance)).body.code).not.toBe("order.settlement-dispute-open");
  });

  it("are rejected by finance only with a reason, naming the field", async () => {
    const orderId = await paidOrderOf(`c-${randomUUID()}`);
    const { body: dispute } = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { requestId: "sm-1", kind: "amount", amountMinor: 800, statement: "Shipping charged on a pick-up." }, storeManager);
    expect(dispute.departments).toEqual(["finance", "store"]);
    const resolve = (body: Record<string, unknown>) => api.post(`/v1/settlement-disputes/${dispute.disputeId}/resolution`, body, finance);
    const noReason = await resolve({ outcome: "rejected", customerAnswer: "The fee was right." });
    expectProblem(noReason, 400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: "reason" })]);
    const rejected = await resolve({ outcome: "rejected", reason: "the order was delivered, not picked up", customerAnswer: "The order was delivered to your door; the shipping fee stands." });
    expect(rejected).toMatchObject({ status: 200, body: { status: "resolved", resolution: { outcome: "rejected", refundIds: [], reason: "the order was delivered, not picked up" } } });
    expect((await api.get(`/v1/orders/${orderId}/refunds`, finance)).body.refunds).toEqual([]);
    expectProblem(await api.post(`/v1/settlement-disputes/${randomUUID()}/findings`, { findingId: "f", finding: "x" }, finance), 404, "settlement-dispute.not-found");
  });
});

describe("intake: a store's settlement disputes, a page at a time", () => {
  it("reads the store's whole list across pages, none twice or missing, and refuses a page token or size it did not give, naming it", async () => {
    for (const n of [1, 2, 3]) {
      const customerId = `c-${randomUUID()}`;
      const opened = await api.post(`/v1/orders/${await paidOrderOf(customerId)}/settlement-disputes`, { ...refundMissing, requestId: `paged-${n}` }, callerHeaders(`customer:${customerId}`));
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    }
    const oneGo = await api.get("/v1/stores/store-test/settlement-disputes?pageSize=500", finance);
    expect(oneGo.body).not.toHaveProperty("nextPageToken");
    const expected = oneGo.body.disputes.map((d: { disputeId: string }) => d.disputeId);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const whole = await readEveryPage(async (pageToken) => {
      const page = await api.get(`/v1/stores/store-test/settlement-disputes?pageSize=2${pageToken && `&pageToken=${pageToken}`}`, finance);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return { items: page.body.disputes.map((d: { disputeId: string }) => d.disputeId), nextPageToken: page.body.nextPageToken };
    });
    expect(whole).toEqual({ items: expected, pages: Math.ceil(expected.length / 2) });

    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "d-x"])).toString("base64url");
    for (const [query, field] of [["pageToken=not-a-token", "pageToken"], [`pageToken=${forged}`, "pageToken"], ["pageSize=501", "pageSize"]]) {
      const refused = await api.get(`/v1/stores/store-test/settlement-disputes?${query}`, finance);
      expectProblem(refused, 400, "validation.failed");
      expect(refused.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });
});
