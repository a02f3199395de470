import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import { withTransaction } from "@oms/postgres";
import { publishEvents, readTopic } from "@oms/testing";
import { InvoiceDesk } from "./app/invoice-desk.ts";
import { type BillingUnderTest, byFulfillment, clerk, consumed, orderCreated, prepaidWebsite, startTestBilling, totals } from "./test-fixtures.ts";

let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const financeClerk: Actor = { kind: "staff", id: clerk.callerId, role: "finance" };
/** The order's totals with tax in them: 1,242 of 10,800. */
const taxed = { ...totals, taxMinor: 1_242 };
const documentNumber = /^store-test-\d{6}$/;

function settled(orderId: string): OrderEvent[] {
  return [
    orderCreated(orderId, prepaidWebsite),
    newEvent(EventTypes.SettlementRequested, { settlementId: randomUUID(), totals: taxed, ...prepaidWebsite }, byFulfillment(orderId)),
  ];
}

function closed(orderId: string): OrderEvent {
  return newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "" , holdReason: ""},
    byFulfillment(orderId, financeClerk),
  );
}

async function closeOrders(...orderIds: string[]): Promise<void> {
  const closures = orderIds.map(closed);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [...orderIds.flatMap(settled), ...closures]);
  await consumed(under.billing.runtime.pool, ...closures);
}

function refund(orderId: string, amountMinor: number, reference = randomUUID()) {
  return under.commands.issueRefund({ orderId, amountMinor, reason: "goodwill: late delivery", reference, ...clerk });
}

async function announcedFor(orderId: string) {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId && e.type === EventTypes.InvoiceIssued);
}

describe("invoices", () => {
  it("invoice a closed order once, for what it kept, numbered in its store's series, issued by the clerk who closed it", async () => {
    const orderId = randomUUID();
    const closure = closed(orderId);
    // The closure twice (a redelivery), then heard again under a new id.
    const heardAgain = closed(orderId);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [...settled(orderId), closure, closure, heardAgain]);
    await consumed(under.billing.runtime.pool, closure, heardAgain);

    const view = await under.query.listInvoices({ orderId });
    expect(view.invoices).toHaveLength(1);
    expect(view.invoices[0]).toMatchObject({
      kind: "invoice",
      orderId,
      storeId: "store-test",
      amount: { minor: 10_800, currency: "CNY" },
      tax: { minor: 1_242, currency: "CNY" },
      corrects: "",
      issuedBy: "staff:staff-fin",
    });
    expect(view.invoices[0]!.invoiceNumber).toMatch(documentNumber);
    expect(view.netTotal).toEqual({ minor: 10_800, currency: "CNY" });
    const announced = await announcedFor(orderId);
    expect(announced.map((e) => e?.payload)).toMatchObject([{ invoiceNumber: view.invoices[0]!.invoiceNumber, kind: "invoice", amount: { minor: 10_800 }, tax: { minor: 1_242 } }]);
  });

  it("credit a refund after the close against the invoice, tax in proportion, and never beyond what the invoice stands for", async () => {
    const orderId = randomUUID();
    await closeOrders(orderId);
    await refund(orderId, 2_700);
    await refund(orderId, 8_100);

    const view = await under.query.listInvoices({ orderId });
    const [invoice, first, last] = view.invoices;
    const refunds = (await under.query.listRefunds({ orderId })).refunds;
    // 1,242 × 2,700 / 10,800 = 310.5, rounded half up; the last note takes the rest of the tax.
    expect(first).toMatchObject({ kind: "credit-note", amount: { minor: 2_700 }, tax: { minor: 311 }, corrects: invoice!.invoiceNumber, refundId: refunds[0]!.refundId });
    expect(last).toMatchObject({ kind: "credit-note", amount: { minor: 8_100 }, tax: { minor: 931 }, corrects: invoice!.invoiceNumber, refundId: refunds[1]!.refundId });
    expect(view.netTotal?.minor).toBe(0);
    // Nothing is left to refund, so nothing is left to credit: the refund itself is refused.
    await expect(refund(orderId, 1)).rejects.toMatchObject({ code: "refund.rule-violation" });
    expect(await announcedFor(orderId)).toHaveLength(3);
  });

  it("credit a refund in the series of the store that invoiced, when the order was taken at another and routed", async () => {
    const orderId = randomUUID();
    const routedTo = `store-routed-${randomUUID().slice(0, 8)}`;
    const atStore = (storeId: string) => ({ ...byFulfillment(orderId), storeId });
    // Taken (and prepaid) at store-test, routed to another store, settled and closed there.
    const taken = orderCreated(orderId, prepaidWebsite);
    const settling = newEvent(EventTypes.SettlementRequested, { settlementId: randomUUID(), totals: taxed, ...prepaidWebsite }, atStore(routedTo));
    const closure = newEvent(
      EventTypes.OrderStatusChanged,
      { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "", holdReason: "" },
      { ...atStore(routedTo), actor: financeClerk },
    );
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [taken, settling, closure]);
    await consumed(under.billing.runtime.pool, closure);
    await refund(orderId, 1_000);

    const [invoice, note] = (await under.query.listInvoices({ orderId })).invoices;
    expect(invoice).toMatchObject({ kind: "invoice", storeId: routedTo, invoiceNumber: `${routedTo}-000001` });
    expect(note).toMatchObject({ kind: "credit-note", storeId: routedTo, invoiceNumber: `${routedTo}-000002`, corrects: `${routedTo}-000001` });
  });

  it("invoice an order refunded in part before it closed for what it kept, and not one refunded in full", async () => {
    const [partly, fully] = [randomUUID(), randomUUID()];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [...settled(partly), ...settled(fully)]);
    await expect.poll(() => under.query.getSettlement({ orderId: fully }).then((s) => s.status, () => "")).toBe("paid");
    await refund(partly, 800);
    await refund(fully, 10_800);
    await closeOrders(partly, fully);

    // 1,242 × 10,000 / 10,800 = 1,150.
    expect((await under.query.listInvoices({ orderId: partly })).invoices).toMatchObject([{ kind: "invoice", amount: { minor: 10_000 }, tax: { minor: 1_150 } }]);
    expect((await under.query.listInvoices({ orderId: fully })).invoices).toEqual([]);
  });

  it("number a store's documents without a gap or a repeat while closures and refunds race", async () => {
    const from = new Date(Date.now() - 300 * 86_400_000).toISOString();
    const early = Array.from({ length: 6 }, () => randomUUID());
    await closeOrders(...early);
    const late = Array.from({ length: 20 }, () => randomUUID());
    // Closures consumed in batches while finance credits the first orders, two refunds each.
    await Promise.all([closeOrders(...late), ...early.flatMap((orderId) => [refund(orderId, 100), refund(orderId, 200)])]);

    const until = new Date(Date.now() + 60_000).toISOString();
    const register = await under.query.listStoreInvoices({ storeId: "store-test", from, until, afterNumber: 0, limit: 0 });
    expect(register.nextAfterNumber).toBe(0);
    const numbers = register.invoices.map((i) => Number(i.invoiceNumber.slice("store-test-".length)));
    const { rows } = await under.billing.runtime.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM invoices WHERE store_id = 'store-test'");
    expect(numbers).toHaveLength(Number(rows[0]!.n));
    // Every document this file issued, numbered 1 … n, each once, in the register's order.
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    const orderIds = new Set<string>([...early, ...late]);
    const mine = register.invoices.filter((i) => orderIds.has(i.orderId));
    expect(mine.filter((i) => i.kind === "invoice")).toHaveLength(26);
    expect(mine.filter((i) => i.kind === "credit-note")).toHaveLength(12);

    // Read a page of 10 at a time, each after the last number of the one before: the same documents.
    const paged: string[] = [];
    let afterNumber = 0;
    do {
      const page = await under.query.listStoreInvoices({ storeId: "store-test", from, until, afterNumber, limit: 10 });
      expect(page.invoices.length).toBeLessThanOrEqual(10);
      paged.push(...page.invoices.map((i) => i.invoiceNumber));
      afterNumber = page.nextAfterNumber;
    } while (afterNumber > 0);
    expect(paged).toEqual(register.invoices.map((i) => i.invoiceNumber));
    // Issued in the order of their numbers, so a period's edge never cuts the series out of order.
    const times = register.invoices.map((i) => Date.parse(i.issuedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("refuse to commit a document left without its number, so nothing is half-written, and lose no number to a rollback", async () => {
    const orderId = randomUUID();
    await closeOrders(orderId);
    const { pool } = under.billing.runtime;
    const numberOf = async (id: string) => Number((await under.query.listInvoices({ orderId: id })).invoices[0]!.invoiceNumber.slice("store-test-".length));
    const before = await numberOf(orderId);
    // Numbers drawn in a transaction that then fails go back with it.
    const rolledBack = withTransaction(pool, async (tx) => {
      const desk = new InvoiceDesk(tx);
      await desk.record(
        { kind: "invoice", orderId: randomUUID(), storeId: "store-test", currency: "CNY", amountMinor: 100, taxMinor: 0 },
        { producer: "billing", orderId, storeId: "store-test", actor: financeClerk },
      );
      await desk.issue(under.billing.runtime.outbox);
      throw new Error("the clerk's screen lost its connection");
    });
    await expect(rolledBack).rejects.toThrow(/lost its connection/);
    const unnumbered = withTransaction(pool, async (tx) => {
      const desk = new InvoiceDesk(tx);
      await desk.record(
        { kind: "invoice", orderId: randomUUID(), storeId: "store-test", currency: "CNY", amountMinor: 100, taxMinor: 0 },
        { producer: "billing", orderId, storeId: "store-test", actor: financeClerk },
      );
      // desk.issue(outbox) forgotten
    });
    await expect(unnumbered).rejects.toThrow(/without a number/);
    const { rows } = await pool.query("SELECT 1 FROM invoices WHERE number IS NULL");
    expect(rows).toEqual([]);
    const next = randomUUID();
    await closeOrders(next);
    expect(await numberOf(next)).toBe(before + 1);
  });

  it("answer a register asked without a store, over more than a year or for too long a page with what is wrong", async () => {
    const page = { afterNumber: 0, limit: 0 };
    await expect(under.query.listStoreInvoices({ storeId: "", from: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z", ...page })).rejects.toMatchObject({
      code: "validation.failed",
      message: expect.stringContaining("storeId"),
    });
    await expect(under.query.listStoreInvoices({ storeId: "store-test", from: "2025-01-01T00:00:00Z", until: "2026-06-01T00:00:00Z", ...page })).rejects.toMatchObject({
      code: "validation.failed",
      message: expect.stringContaining("until"),
    });
    await expect(
      under.query.listStoreInvoices({ storeId: "store-test", from: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z", afterNumber: 0, limit: 1_001 }),
    ).rejects.toMatchObject({ code: "validation.failed", message: expect.stringContaining("limit") });
    await expect(under.query.listInvoices({ orderId: "" })).rejects.toMatchObject({ code: "validation.failed" });
  });
});
