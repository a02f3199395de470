import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { EventTypes, Topics } from "@oms/contracts";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import type { CheckContext } from "./context.ts";
import { invoicesWithoutGap } from "./invoices.ts";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";

/**
 * The checker must see what it claims to: each way invoicing can go wrong — a gap, a
 * number twice, a series behind, an order invoiced twice or not at all, documents that do
 * not state the money kept, an invoice of an open order, a document never announced — is
 * planted in tables shaped like the services' (only the columns it reads) and caught.
 */
let namespace: TestNamespace;
let db: pg.Pool;

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await db.query(`
    CREATE SCHEMA fulfillment; CREATE SCHEMA billing;
    CREATE TABLE fulfillment.orders (order_id text PRIMARY KEY, status text NOT NULL);
    CREATE TABLE billing.settlements (order_id text PRIMARY KEY, amount_paid_minor bigint NOT NULL);
    CREATE TABLE billing.refunds (order_id text NOT NULL, amount_minor bigint NOT NULL);
    CREATE TABLE billing.invoice_series (store_id text PRIMARY KEY, last_number bigint NOT NULL);
    CREATE TABLE billing.invoices (order_id text NOT NULL, store_id text NOT NULL, kind text NOT NULL, number bigint, invoice_number text,
      amount_minor bigint NOT NULL, tax_minor bigint NOT NULL);`);
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

/** The documents planted so far, as billing would have announced them. */
let documents: { number: string; kind: string }[] = [];

beforeEach(async () => {
  await db.query("TRUNCATE fulfillment.orders, billing.settlements, billing.refunds, billing.invoice_series, billing.invoices");
  documents = [];
});

/** A closed order as billing leaves it when all went well: paid, refunded before and after the close, invoiced and credited. */
async function closedOrder(orderId: string, store: string, { paid, refundedBefore = 0, credited = [] as number[] }: { paid: number; refundedBefore?: number; credited?: number[] }) {
  await db.query("INSERT INTO fulfillment.orders VALUES ($1, 'closed')", [orderId]);
  await db.query("INSERT INTO billing.settlements VALUES ($1, $2)", [orderId, paid]);
  for (const amount of [refundedBefore, ...credited].filter((a) => a > 0)) await db.query("INSERT INTO billing.refunds VALUES ($1, $2)", [orderId, amount]);
  const kept = paid - refundedBefore;
  if (kept > 0) await document(orderId, store, "invoice", kept, Math.round(kept / 10));
  for (const amount of credited) await document(orderId, store, "credit-note", amount, Math.round(amount / 10));
}

async function document(orderId: string, store: string, kind: string, amount: number, tax: number, number?: number) {
  const { rows } = await db.query<{ last: string }>(
    `INSERT INTO billing.invoice_series VALUES ($1, 1) ON CONFLICT (store_id) DO UPDATE SET last_number = invoice_series.last_number + 1 RETURNING last_number::text AS last`,
    [store],
  );
  const drawn = number ?? Number(rows[0]!.last);
  const invoiceNumber = `${store}-${String(drawn).padStart(6, "0")}`;
  await db.query("INSERT INTO billing.invoices VALUES ($1, $2, $3, $4, $5, $6, $7)", [orderId, store, kind, drawn, invoiceNumber, amount, tax]);
  documents.push({ number: invoiceNumber, kind });
}

function announced(numbers = documents.map((d) => d.number)): CheckContext {
  const messages = numbers.map((invoiceNumber) =>
    messageOf(eventOf(EventTypes.InvoiceIssued, { invoiceNumber, kind: "invoice", amount: undefined, tax: undefined, corrects: "", refundId: "", issuedAt: "" }, "o", "billing")),
  );
  return { ...contextOf({ [Topics.billingSettlement]: messages }), db };
}

describe("invariant: invoice numbers have no gap; invoices state the money kept", () => {
  it("passes two stores' series, orders credited after the close, refunded before it, and one that kept nothing", async () => {
    await closedOrder("o-1", "store-a", { paid: 10_000 });
    await closedOrder("o-2", "store-a", { paid: 10_000, credited: [2_500, 500] });
    await closedOrder("o-3", "store-b", { paid: 8_000, refundedBefore: 800 });
    await closedOrder("o-4", "store-b", { paid: 5_000, refundedBefore: 5_000 });
    const outcome = await invoicesWithoutGap(announced());
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toBe("3 invoices and 2 credit notes, numbered without a gap; 0 problems");
  });

  it("catches a gap, a number twice, a series behind and a document without a number", async () => {
    await closedOrder("o-1", "store-a", { paid: 1_000 });
    await document("o-x", "store-a", "invoice", 100, 0, 3);
    await closedOrder("o-2", "store-b", { paid: 1_000 });
    await document("o-y", "store-b", "invoice", 100, 0, 1);
    await db.query("INSERT INTO fulfillment.orders VALUES ('o-x', 'closed'), ('o-y', 'closed')");
    await db.query("INSERT INTO billing.settlements VALUES ('o-x', 100), ('o-y', 100)");
    await db.query("UPDATE billing.invoice_series SET last_number = 1 WHERE store_id = 'store-a'");
    const outcome = await invoicesWithoutGap(announced());
    expect(outcome.ok).toBe(false);
    expect(outcome.details).toEqual(
      expect.arrayContaining([
        "store store-a: 2 documents numbered 1 to 3",
        "store store-a: series stands at 1, last document 3",
        "store store-b: 1 numbers used twice",
      ]),
    );
    await db.query("UPDATE billing.invoices SET number = NULL, invoice_number = NULL WHERE order_id = 'o-x'");
    expect((await invoicesWithoutGap(announced())).details).toContain("store store-a: 1 documents without a number");
  });

  it("catches an order invoiced twice, one not invoiced, documents that do not state the money kept, and an open order invoiced", async () => {
    await closedOrder("o-twice", "store-a", { paid: 1_000 });
    await document("o-twice", "store-a", "invoice", 1_000, 100);
    await closedOrder("o-missing", "store-a", { paid: 1_000 });
    await db.query("DELETE FROM billing.invoices WHERE order_id = 'o-missing'");
    await closedOrder("o-uncredited", "store-a", { paid: 1_000, credited: [400] });
    await db.query("DELETE FROM billing.invoices WHERE order_id = 'o-uncredited' AND kind = 'credit-note'");
    await closedOrder("o-tax", "store-a", { paid: 1_000, credited: [1_000] });
    await db.query("UPDATE billing.invoices SET tax_minor = 150 WHERE order_id = 'o-tax' AND kind = 'credit-note'");
    await closedOrder("o-open", "store-a", { paid: 1_000 });
    await db.query("UPDATE fulfillment.orders SET status = 'delivered' WHERE order_id = 'o-open'");
    const outcome = await invoicesWithoutGap(announced());
    expect(outcome.details).toEqual(
      expect.arrayContaining([
        "order o-twice: 2 invoices",
        "order o-missing: closed, kept 1000, not invoiced",
        "order o-uncredited: invoiced 1000 less credited 0, kept 600",
        "order o-tax: 150 tax credited of 100 invoiced",
        "order o-open invoiced though delivered",
      ]),
    );
  });

  it("catches a document never announced, and one announced that billing never recorded", async () => {
    await closedOrder("o-1", "store-a", { paid: 1_000, credited: [300] });
    const [invoice] = documents;
    const outcome = await invoicesWithoutGap(announced([invoice!.number, "store-a-000099"]));
    expect([...outcome.details].sort()).toEqual(["credit-note store-a-000002 announced 0 times", "store-a-000099 announced but not in billing's books"]);
  });
});
