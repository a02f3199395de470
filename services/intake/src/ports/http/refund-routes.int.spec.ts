import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { eventually, publishEvents, callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { orderCreated, payLater, prepaidWebsite, settlementRequested, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { expectProblem } from "../../test-fixtures.ts";
import { asStaff, startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// An order's refunds through intake's REST API, asked of a real billing over gRPC: finance
// lists and issues them (a retry under the same reference refunds nothing more), customer
// service may look; billing's rule (never more than was paid) comes back as a 409.
let billing: BillingUnderTest;
let api: IntakeWithBilling["api"];
let system: IntakeWithBilling;

beforeAll(async () => {
  system = await startIntakeWithBilling();
  ({ billing } = system);
  api = system.api;
});

afterAll(() => system?.stop());

const as = asStaff;
const finance = as("fin-1", "finance");

/** An order prepaid on the website, 10,800 fen, once billing has taken its money. */
async function prepaidOrder(): Promise<string> {
  const orderId = randomUUID();
  await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)]);
  await eventually(() => billing.query.listRefunds({ orderId }).catch(() => undefined));
  return orderId;
}

describe("intake: money taken at the door, checked with billing first", () => {
  const rider = callerHeaders("staff:rider-1:rider");
  const delivery = (collectedMinor: number) => ({ place: "front door", method: "rider", proofKind: "signature", proofRef: "sig-1", collectedMinor });

  it("is refused above what the order still owes (nothing for a prepaid one), naming the amount, before anything is recorded", async () => {
    const prepaid = await prepaidOrder();
    expectProblem(await api.post(`/v1/orders/${prepaid}/delivery`, delivery(500), rider), 409, "payment.more-than-outstanding");
    const orderId = randomUUID();
    await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), settlementRequested(orderId, payLater)]);
    await eventually(() => billing.query.getSettlement({ orderId }).catch(() => undefined));
    const tooMuch = await api.post(`/v1/orders/${orderId}/delivery`, delivery(10_801), rider);
    expectProblem(tooMuch, 409, "payment.more-than-outstanding");
    expect(tooMuch.body.detail).toContain("owes 10800 CNY");
    // What is owed passes the check (and goes on to fulfillment, which this spec does not run).
    const owed = await api.post(`/v1/orders/${orderId}/delivery`, delivery(10_800), rider);
    expect(owed.body.code).not.toBe("payment.more-than-outstanding");
    // An order neither billing nor intake knows: not found.
    expectProblem(await api.post(`/v1/orders/${randomUUID()}/delivery`, delivery(100), rider), 404, "order.not-found");
  });
});

describe("intake: an order's refunds, asked of billing", () => {
  it("are issued by finance once per reference, never beyond what was paid, and shown to customer service", async () => {
    const orderId = await prepaidOrder();
    expect(await api.get(`/v1/orders/${orderId}/refunds`, finance)).toMatchObject({
      status: 200,
      body: { orderId, paidTotal: { minor: 10_800, currency: "CNY" }, refundedTotal: { minor: 0, currency: "CNY" }, refunds: [] },
    });

    const goodwill = { amountMinor: 2_000, reason: "goodwill: late delivery", reference: "TICKET-1" };
    const issued = await api.post(`/v1/orders/${orderId}/refunds`, goodwill, finance);
    expect(issued).toMatchObject({
      status: 201,
      body: { refundedTotal: { minor: 2_000 }, refunds: [{ amount: { minor: 2_000, currency: "CNY" }, reason: goodwill.reason, trigger: "finance", source: "prepayment", issuedBy: "staff:fin-1" }] },
    });
    expect(issued.body.refunds[0].reference).toContain("TICKET-1");
    // A retry after a timeout: answered as the first, nothing refunded twice.
    const retried = await api.post(`/v1/orders/${orderId}/refunds`, goodwill, finance);
    expect(retried).toMatchObject({ status: 201, body: { refundedTotal: { minor: 2_000 } } });
    expect(retried.body.refunds).toHaveLength(1);

    const tooMuch = await api.post(`/v1/orders/${orderId}/refunds`, { ...goodwill, amountMinor: 8_801, reference: "TICKET-2" }, finance);
    expectProblem(tooMuch, 409, "refund.rule-violation");
    expect(tooMuch.body.detail).toContain("8800 left to refund");
    expect(await api.get(`/v1/orders/${orderId}/refunds`, as("cs-1", "customer-service"))).toMatchObject({ status: 200, body: { refundedTotal: { minor: 2_000 } } });
  });

  it("refuse callers without the role, wrong fields one by one, and orders nobody knows", async () => {
    const orderId = await prepaidOrder();
    expectProblem(await api.post(`/v1/orders/${orderId}/refunds`, { amountMinor: 100, reason: "x", reference: "r" }, as("cs-1", "customer-service")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${orderId}/refunds`, as("r-1", "rider")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${orderId}/refunds`, callerHeaders("customer:c-42")), 403, "caller.not-permitted");

    const wrong = await api.post(`/v1/orders/${orderId}/refunds`, { amountMinor: 0.5, reason: " " }, finance);
    expectProblem(wrong, 400);
    expect(wrong.body.errors).toEqual([
      { field: "amountMinor", message: "must be a whole number" },
      { field: "reason", message: "must not be empty" },
      { field: "reference", message: "is required" },
    ]);
    expectProblem(await api.post(`/v1/orders/${"o".repeat(101)}/refunds`, { amountMinor: 100, reason: "x", reference: "r" }, finance), 400);

    const unknown = randomUUID();
    expectProblem(await api.get(`/v1/orders/${unknown}/refunds`, finance), 404, "order.not-found");
    expectProblem(await api.post(`/v1/orders/${unknown}/refunds`, { amountMinor: 100, reason: "x", reference: "r" }, finance), 404, "order.not-found");
  });
});
