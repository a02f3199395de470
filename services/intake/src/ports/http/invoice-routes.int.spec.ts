import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { publishEvents, callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { byFulfillment, clerk, consumed, orderCreated, prepaidWebsite, totals, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { demoOrder, expectProblem } from "../../test-fixtures.ts";
import { asStaff, startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// Invoices through intake's REST API, asked of a real billing over gRPC: an order intake took
// for a customer, closed by finance (billing invoices it), then refunded through the gateway
// (a credit note). Staff read them by role, the order's customer their own; the store's
// register is the books' keepers' and checkers', for a period billing bounds.
let billing: BillingUnderTest;
let intake: RunningService;
let api: IntakeWithBilling["api"];
let system: IntakeWithBilling;
let startedAt: string;

beforeAll(async () => {
  startedAt = new Date().toISOString();
  system = await startIntakeWithBilling();
  ({ billing, intake } = system);
  await seedDemoCatalogue(intake.runtime.pool);
  api = system.api;
});

afterAll(() => system?.stop());

const as = asStaff;
const finance = as("fin-1", "finance");
const asCustomer = (customerId: string) => (callerHeaders(`customer:${customerId}`));
// Billing's fixtures tell it of orders in their own store, with their own money: 10,800 fen, 1,242 of it tax.
const store = "store-test";
const taxed = { ...totals, taxMinor: 1_242 };
const financeClerk: Actor = { kind: "staff", id: clerk.callerId, role: "finance" };
const documentNumber = /^store-test-\d{6}$/;

/** The demo order, taken by intake for this customer (named in it, so it is theirs alone); answers its id. */
async function orderOf(customerId: string): Promise<string> {
  const order = await demoOrder();
  const placed = await api.post("/v1/orders", { ...order, customer: { ...(order.customer as object), customerId } }, asCustomer(customerId));
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.orderId as string;
}

/** What fulfillment tells billing of an order prepaid on the website, until finance closes it (all its money clear). */
function settledAndClosed(orderId: string): { events: OrderEvent[]; closure: OrderEvent } {
  const closure = newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "" , holdReason: ""},
    byFulfillment(orderId, financeClerk),
  );
  const settlement = newEvent(EventTypes.SettlementRequested, { settlementId: randomUUID(), totals: taxed, ...prepaidWebsite }, byFulfillment(orderId));
  return { events: [orderCreated(orderId, prepaidWebsite), settlement, closure], closure };
}

/** An order of this customer that billing invoiced on its close; answers its id. */
async function invoicedOrder(customerId = `c-${randomUUID()}`): Promise<string> {
  const orderId = await orderOf(customerId);
  const { events, closure } = settledAndClosed(orderId);
  await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, events);
  await consumed(billing.billing.runtime.pool, closure);
  return orderId;
}

const invoicesOf = (orderId: string, caller: Record<string, string>) => api.get(`/v1/orders/${orderId}/invoices`, caller);
const refund = (orderId: string, amountMinor: number) =>
  api.post(`/v1/orders/${orderId}/refunds`, { amountMinor, reason: "goodwill: late delivery", reference: `TICKET-${randomUUID()}` }, finance);
const registerOf = (storeId: string, query: string, caller: Record<string, string>) => api.get(`/v1/stores/${storeId}/invoices${query}`, caller);
const period = (from: string, until: string) => `?from=${encodeURIComponent(from)}&until=${encodeURIComponent(until)}`;

describe("intake: an order's invoices, asked of billing", () => {
  it("show finance the invoice of a closed order, then a refund through the gateway as a credit note against it", async () => {
    const customerId = `c-${randomUUID()}`;
    const orderId = await invoicedOrder(customerId);
    const invoiced = await invoicesOf(orderId, finance);
    expect(invoiced).toMatchObject({
      status: 200,
      body: {
        invoices: [
          { kind: "invoice", orderId, storeId: store, amount: { minor: 10_800, currency: "CNY" }, tax: { minor: 1_242, currency: "CNY" }, corrects: "", refundId: "", issuedBy: "staff:staff-fin" },
        ],
        netTotal: { minor: 10_800, currency: "CNY" },
      },
    });
    const { invoiceNumber } = invoiced.body.invoices[0];
    expect(invoiceNumber).toMatch(documentNumber);

    const refunded = await refund(orderId, 2_700);
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(201);
    // 1,242 × 2,700 / 10,800 = 310.5, rounded half up.
    const credited = {
      status: 200,
      body: {
        invoices: [
          { invoiceNumber, kind: "invoice" },
          { kind: "credit-note", amount: { minor: 2_700, currency: "CNY" }, tax: { minor: 311 }, corrects: invoiceNumber, refundId: refunded.body.refunds[0].refundId, issuedBy: "staff:fin-1" },
        ],
        netTotal: { minor: 8_100, currency: "CNY" },
      },
    };
    const afterRefund = await invoicesOf(orderId, finance);
    expect(afterRefund).toMatchObject(credited);
    expect(afterRefund.body.invoices[1].invoiceNumber).toMatch(documentNumber);
    for (const role of ["store-manager", "auditor", "customer-service"]) expect(await invoicesOf(orderId, as("s-1", role)), role).toMatchObject(credited);
    // The customer the order names reads their own.
    expect(await invoicesOf(orderId, asCustomer(customerId))).toMatchObject(credited);
  });

  it("are none before the order closes, and an order nobody knows is not found", async () => {
    const customerId = `c-${randomUUID()}`;
    const open = await orderOf(customerId);
    expect(await invoicesOf(open, finance)).toMatchObject({ status: 200, body: { invoices: [], netTotal: { minor: 0 } } });
    expect(await invoicesOf(open, asCustomer(customerId))).toMatchObject({ status: 200, body: { invoices: [] } });
    expectProblem(await invoicesOf(randomUUID(), finance), 404, "order.not-found");
    expectProblem(await invoicesOf(randomUUID(), asCustomer(customerId)), 404, "order.not-found");
  });

  it("refuse staff without the role, naming who may, and every customer but the order's own", async () => {
    const orderId = await invoicedOrder();
    for (const role of ["rider", "warehouse-clerk"]) {
      const refused = await invoicesOf(orderId, as("s-2", role));
      expectProblem(refused, 403, "caller.not-permitted");
      expect(refused.body.detail).toContain("only a finance clerk, the store manager, an auditor, a customer-service agent, or the customer whose order it is may");
    }
    // Another customer's order is answered as one nobody placed, word for word (ADR 022, twenty-fifth session).
    for (const stranger of [`c-${randomUUID()}`, "anonymous"]) {
      const refused = await invoicesOf(orderId, asCustomer(stranger));
      expectProblem(refused, 404, "order.not-found");
      expect(refused.body.detail).toBe(`order ${orderId} not found`);
    }
  });
});

describe("intake: a store's invoice register, asked of billing", () => {
  it("lists every invoice and credit note the store issued in the period, by number, with what they add up to", async () => {
    const orderId = await invoicedOrder();
    expect((await refund(orderId, 800)).status).toBe(201);
    const until = new Date(Date.now() + 60_000).toISOString();

    const register = await registerOf(store, period(startedAt, until), as("a-1", "auditor"));
    expect(register.status, JSON.stringify(register.body)).toBe(200);
    const documents = register.body.invoices as { invoiceNumber: string; kind: string; orderId: string; amount: { minor: number } }[];
    expect(documents.filter((d) => d.orderId === orderId)).toMatchObject([
      { kind: "invoice", amount: { minor: 10_800 } },
      { kind: "credit-note", amount: { minor: 800 } },
    ]);
    // By number: this file's namespace is the store's whole series, so it runs 1 … n.
    expect(documents.map((d) => Number(d.invoiceNumber.slice(`${store}-`.length)))).toEqual(documents.map((_, i) => i + 1));
    const net = documents.reduce((sum, d) => sum + (d.kind === "invoice" ? d.amount.minor : -d.amount.minor), 0);
    expect(register.body.netTotal).toEqual({ minor: net, currency: "CNY" });
    expect(register.body.nextAfter).toBe(0);
    // A page of one, then the page after it: the register's first two documents.
    const first = await registerOf(store, `${period(startedAt, until)}&limit=1`, finance);
    expect(first.body.invoices.map((d: { invoiceNumber: string }) => d.invoiceNumber)).toEqual([documents[0]!.invoiceNumber]);
    expect(first.body.nextAfter).toBe(1);
    const second = await registerOf(store, `${period(startedAt, until)}&limit=1&after=${first.body.nextAfter}`, finance);
    expect(second.body.invoices.map((d: { invoiceNumber: string }) => d.invoiceNumber)).toEqual([documents[1]!.invoiceNumber]);

    for (const role of ["finance", "store-manager"]) expect((await registerOf(store, period(startedAt, until), as("s-1", role))).status, role).toBe(200);
    // A period before any of them: an empty register.
    expect(await registerOf(store, period("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"), finance)).toMatchObject({ status: 200, body: { invoices: [] } });
  });

  it("refuses callers who do not keep or check the books, naming who may, and a period missing or wrong, naming the field", async () => {
    for (const role of ["rider", "warehouse-clerk", "customer-service"]) {
      const refused = await registerOf(store, period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"), as("s-2", role));
      expectProblem(refused, 403, "caller.not-permitted");
      expect(refused.body.detail).toContain("only a finance clerk, the store manager or an auditor may");
    }
    expectProblem(await registerOf(store, period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"), asCustomer("c-42")), 403, "caller.not-permitted");

    const noFrom = await registerOf(store, `?until=${encodeURIComponent("2026-02-01T00:00:00Z")}`, finance);
    expectProblem(noFrom, 400);
    expect(noFrom.body.errors).toEqual([{ field: "from", message: "is required" }]);
    const notATime = await registerOf(store, "?from=yesterday&until=2026-02-01T00:00:00Z", finance);
    expectProblem(notATime, 400);
    expect(notATime.body.errors).toEqual([{ field: "from", message: expect.stringContaining("must be an ISO 8601 date-time") }]);
    // Backwards, or over a year: billing's rule for every report, its field errors passed on.
    const backwards = await registerOf(store, period("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"), finance);
    expectProblem(backwards, 400);
    expect(backwards.body.errors).toEqual([{ field: "until", message: "must be after from" }]);
    const overAYear = await registerOf(store, period("2025-01-01T00:00:00Z", "2026-06-01T00:00:00Z"), finance);
    expectProblem(overAYear, 400);
    expect(overAYear.body.errors).toEqual([{ field: "until", message: "must be at most 366 days after from" }]);
    const tooLong = await registerOf(store, `${period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")}&limit=5000`, finance);
    expectProblem(tooLong, 400);
    expect(tooLong.body.errors).toEqual([{ field: "limit", message: expect.stringContaining("1000") }]);
  });
});
