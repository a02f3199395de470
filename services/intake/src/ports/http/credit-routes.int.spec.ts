import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { eventually, publishEvents, callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { consumed, heldForCredit, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { expectProblem } from "../../test-fixtures.ts";
import { asStaff, startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// A customer's credit through intake's REST API, kept by a real billing over gRPC: finance
// assesses it (billing's field rules come back as 400s naming the body's fields), finance, the
// store manager, auditors and customer service read it, with the customer's on-credit orders
// held for credit as fulfillment announces them to billing.
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
const newCustomer = () => `c-${randomUUID()}`;

const creditOf = (customerId: string, caller: Record<string, string> = finance) => api.get(`/v1/customers/${customerId}/credit`, caller);
const assess = (customerId: string, body: unknown, caller: Record<string, string> = finance) => api.post(`/v1/customers/${customerId}/credit-assessments`, body, caller);
const good = (limitMinor: number, termsDays: number, reason = "paid every invoice on time") => ({ rating: "good", limitMinor, currency: "CNY", termsDays, reason });

describe("intake: a customer's credit, assessed by finance and kept by billing", () => {
  it("is assessed good by finance and read back with its limit, terms and history; a worse assessment comes first", async () => {
    const customerId = newCustomer();
    expect(await creditOf(customerId)).toMatchObject({ status: 200, body: { customerId, current: null, openOrders: [], history: [] } });

    const assessed = await assess(customerId, good(30_000, 30));
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(201);
    const first = { rating: "good", limit: { minor: 30_000, currency: "CNY" }, termsDays: 30, reason: "paid every invoice on time", assessedBy: "staff:fin-1" };
    expect(assessed.body).toMatchObject({ customerId, current: first, exposure: { minor: 0, currency: "CNY" }, openOrders: [], history: [first] });
    expect(await creditOf(customerId)).toMatchObject({ status: 200, body: { current: first, history: [first] } });

    const worse = await assess(customerId, good(10_000, 15, "late on the last two invoices"));
    expect(worse.status, JSON.stringify(worse.body)).toBe(201);
    const second = { rating: "good", limit: { minor: 10_000, currency: "CNY" }, termsDays: 15, reason: "late on the last two invoices" };
    const read = await creditOf(customerId);
    expect(read).toMatchObject({ status: 200, body: { current: second, history: [second, first] } });
    expect(read.body.history).toHaveLength(2);

    // Those who check the books and the desk answering "why is my order on hold?" read it too.
    for (const role of ["store-manager", "auditor", "customer-service"]) {
      expect(await creditOf(customerId, as("s-1", role)), role).toMatchObject({ status: 200, body: { current: second, history: [second, first] } });
    }
  });

  it("lists the customer's on-credit orders held for credit with billing's decision, and when collection started on them", async () => {
    const customerId = newCustomer();
    expect((await assess(customerId, good(50_000, 30))).status).toBe(201);
    const orderId = randomUUID();
    await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, heldForCredit(orderId, customerId, 12_000));
    const approved = await eventually(async () => {
      const read = await creditOf(customerId);
      return read.body.openOrders?.[0]?.decision === "approved" ? read : undefined;
    });
    expect(approved.body).toMatchObject({
      exposure: { minor: 12_000, currency: "CNY" },
      openOrders: [{ orderId, storeId: "store-test", outstanding: { minor: 12_000, currency: "CNY" }, decision: "approved", collectionStartedAt: null }],
    });

    // Credit turned poor while the order is in execution: collection starts on what it owes.
    const poor = await assess(customerId, { rating: "poor", reason: "stopped paying" });
    expect(poor.status, JSON.stringify(poor.body)).toBe(201);
    expect(poor.body).toMatchObject({ current: { rating: "poor", limit: { minor: 0 }, termsDays: 0 }, openOrders: [{ orderId, decision: "approved" }] });
    expect(Date.parse(poor.body.openOrders[0].collectionStartedAt)).not.toBeNaN();

    // A customer never assessed: their order waits for a finance clerk.
    const unassessed = newCustomer();
    const waiting = randomUUID();
    const held = heldForCredit(waiting, unassessed, 700);
    await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, held);
    await consumed(billing.billing.runtime.pool, ...held);
    expect(await creditOf(unassessed, as("cs-1", "customer-service"))).toMatchObject({
      status: 200,
      body: { current: null, openOrders: [{ orderId: waiting, outstanding: { minor: 700 }, decision: "awaiting", collectionStartedAt: null }], history: [] },
    });
  });
});

describe("intake: who may assess and read a customer's credit", () => {
  it("refuses readers without the role and the customer themself, naming who may", async () => {
    const customerId = newCustomer();
    for (const caller of [as("r-1", "rider"), as("w-1", "warehouse-clerk"), callerHeaders(`customer:${customerId}`)]) {
      const refused = await creditOf(customerId, caller);
      expectProblem(refused, 403, "caller.not-permitted");
      expect(refused.body.detail).toContain("only a finance clerk, the store manager, an auditor or a customer-service agent may view credit");
    }
  });

  it("lets only a finance clerk assess, refusing other staff before billing records anything", async () => {
    const customerId = newCustomer();
    for (const role of ["store-manager", "customer-service", "auditor"]) {
      const refused = await assess(customerId, good(10_000, 30), as("s-1", role));
      expectProblem(refused, 403, "caller.not-permitted");
      expect(refused.body.detail).toContain("only a finance clerk may assess credit");
    }
    expect(await creditOf(customerId)).toMatchObject({ status: 200, body: { current: null, history: [] } });
  });
});

describe("intake: a wrong assessment, one message per field", () => {
  it("passes on billing's rules of good and poor credit, naming billing's fields", async () => {
    const customerId = newCustomer();
    const noLimit = await assess(customerId, { rating: "good", currency: "CNY", termsDays: 30, reason: "new customer" });
    expectProblem(noLimit, 400, "validation.failed");
    expect(noLimit.body.errors).toEqual([{ field: "limitMinor", message: expect.stringContaining("good credit needs a limit") }]);

    const tooLong = await assess(customerId, good(10_000, 400));
    expectProblem(tooLong, 400);
    expect(tooLong.body.errors).toEqual([{ field: "termsDays", message: expect.stringContaining("1 to 365 days") }]);

    const poorWithLimit = await assess(customerId, { rating: "poor", limitMinor: 5_000, reason: "cheques bounced" });
    expectProblem(poorWithLimit, 400);
    expect(poorWithLimit.body.errors).toEqual([{ field: "rating", message: expect.stringContaining("poor credit has no limit and no terms") }]);
    expect(await creditOf(customerId)).toMatchObject({ status: 200, body: { history: [] } });
  });

  it("refuses a body of the wrong shape before billing is asked: an unknown field, a rating not offered, no reason, a customer id too long", async () => {
    const customerId = newCustomer();
    const unknown = await assess(customerId, { ...good(10_000, 30), creditLimit: 10_000 });
    expectProblem(unknown, 400);
    expect(unknown.body.errors).toEqual([{ field: "creditLimit", message: "is not a known field" }]);

    const badRating = await assess(customerId, { ...good(10_000, 30), rating: "excellent" });
    expectProblem(badRating, 400);
    expect(badRating.body.errors).toEqual([{ field: "rating", message: "must be one of good, poor" }]);

    const wrong = await assess(customerId, { rating: "good", limitMinor: -1, currency: "cny", termsDays: 1.5 });
    expectProblem(wrong, 400);
    expect(wrong.body.errors).toEqual([
      { field: "limitMinor", message: "must be at least 0" },
      { field: "currency", message: expect.stringContaining("ISO 4217") },
      { field: "termsDays", message: "must be a whole number" },
      { field: "reason", message: "is required" },
    ]);

    expectProblem(await assess("c".repeat(65), good(10_000, 30)), 400);
    expectProblem(await creditOf("c".repeat(65)), 400);
    expect(await creditOf(customerId)).toMatchObject({ status: 200, body: { history: [] } });
  });
});
