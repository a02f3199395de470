import { EventTypes, Topics } from "@oms/contracts";
import { eventsOf, n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * Invoices: each store's numbers run 1, 2, 3 … without a gap or a repeat, and its series
 * stands at the last; only closed orders are invoiced, each once, and what an order's
 * documents state (its invoice less its credit notes) is the money it kept — paid less
 * refunded — with no more tax credited than invoiced; every document was announced on
 * billing's topic, once.
 */
export async function invoicesWithoutGap(context: CheckContext): Promise<InvariantResult> {
  const name = "invoice numbers have no gap; invoices state the money kept";
  if (!(await tableExists(context.db, "billing", "invoices"))) return skipped(name, "billing has no invoices table yet");
  const failures = [...(await seriesFailures(context)), ...(await orderFailures(context))];
  const { rows } = await context.db.query<{ number: string | null; kind: string }>("SELECT invoice_number AS number, kind FROM billing.invoices");
  const announced = announcedNumbers(context);
  for (const r of rows) {
    const times = r.number ? (announced.get(r.number) ?? 0) : 0;
    if (times !== 1) failures.push(`${r.kind} ${r.number ?? "(unnumbered)"} announced ${times} times`);
    if (r.number) announced.delete(r.number);
  }
  for (const number of announced.keys()) failures.push(`${number} announced but not in billing's books`);
  const invoices = rows.filter((r) => r.kind === "invoice").length;
  return result(name, failures, `${n(invoices)} invoices and ${n(rows.length - invoices)} credit notes, numbered without a gap; ${n(failures.length)} problems`);
}

async function seriesFailures(context: CheckContext): Promise<string[]> {
  const { rows } = await context.db.query<{ store_id: string; documents: number; numbered: number; lowest: number | null; highest: number | null; distinct_numbers: number; last_number: number | null }>(`
    SELECT i.store_id, count(*)::int AS documents, count(i.number)::int AS numbered, min(i.number)::int AS lowest, max(i.number)::int AS highest,
           count(DISTINCT i.number)::int AS distinct_numbers, (SELECT s.last_number FROM billing.invoice_series s WHERE s.store_id = i.store_id)::int AS last_number
    FROM billing.invoices i GROUP BY i.store_id`);
  const failures: string[] = [];
  for (const r of rows) {
    const store = `store ${r.store_id}`;
    if (r.numbered !== r.documents) failures.push(`${store}: ${r.documents - r.numbered} documents without a number`);
    if (r.distinct_numbers !== r.numbered) failures.push(`${store}: ${r.numbered - r.distinct_numbers} numbers used twice`);
    if (r.lowest !== 1 || r.highest !== r.documents) failures.push(`${store}: ${r.documents} documents numbered ${r.lowest} to ${r.highest}`);
    if (r.last_number !== r.highest) failures.push(`${store}: series stands at ${r.last_number}, last document ${r.highest}`);
  }
  return failures;
}

async function orderFailures(context: CheckContext): Promise<string[]> {
  const { rows } = await context.db.query<{
    order_id: string;
    status: string | null;
    paid: number | null;
    refunded: number;
    invoices: number;
    invoiced: number;
    credited: number;
    tax: number;
    credited_tax: number;
  }>(`
    WITH docs AS (
      SELECT order_id, count(*) FILTER (WHERE kind = 'invoice')::int AS invoices,
             coalesce(sum(amount_minor) FILTER (WHERE kind = 'invoice'), 0)::bigint AS invoiced,
             coalesce(sum(amount_minor) FILTER (WHERE kind = 'credit-note'), 0)::bigint AS credited,
             coalesce(sum(tax_minor) FILTER (WHERE kind = 'invoice'), 0)::bigint AS tax,
             coalesce(sum(tax_minor) FILTER (WHERE kind = 'credit-note'), 0)::bigint AS credited_tax
      FROM billing.invoices GROUP BY order_id
    ), orders AS (
      SELECT order_id FROM fulfillment.orders WHERE status = 'closed' UNION SELECT order_id FROM docs
    )
    SELECT o.order_id, f.status, s.amount_paid_minor AS paid,
           coalesce((SELECT sum(r.amount_minor) FROM billing.refunds r WHERE r.order_id = o.order_id), 0)::bigint AS refunded,
           coalesce(d.invoices, 0) AS invoices, coalesce(d.invoiced, 0) AS invoiced, coalesce(d.credited, 0) AS credited,
           coalesce(d.tax, 0) AS tax, coalesce(d.credited_tax, 0) AS credited_tax
    FROM orders o LEFT JOIN fulfillment.orders f USING (order_id) LEFT JOIN billing.settlements s USING (order_id) LEFT JOIN docs d USING (order_id)`);
  const failures: string[] = [];
  for (const r of rows) {
    const order = `order ${r.order_id}`;
    if (r.status !== "closed") {
      failures.push(`${order} invoiced though ${r.status ?? "unknown to fulfillment"}`);
      continue;
    }
    const kept = (r.paid ?? 0) - r.refunded;
    if (r.invoices > 1) failures.push(`${order}: ${r.invoices} invoices`);
    else if (kept > 0 && r.invoices === 0) failures.push(`${order}: closed, kept ${kept}, not invoiced`);
    else if (r.invoiced - r.credited !== kept) failures.push(`${order}: invoiced ${r.invoiced} less credited ${r.credited}, kept ${kept}`);
    if (r.credited_tax > r.tax) failures.push(`${order}: ${r.credited_tax} tax credited of ${r.tax} invoiced`);
  }
  return failures;
}

/** InvoiceIssued announcements by number (a copy republished after a crash counts once). */
function announcedNumbers(context: CheckContext): Map<string, number> {
  const seen = new Set<string>();
  const byNumber = new Map<string, number>();
  for (const event of eventsOf(context, Topics.billingSettlement, EventTypes.InvoiceIssued)) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    byNumber.set(event.payload.invoiceNumber, (byNumber.get(event.payload.invoiceNumber) ?? 0) + 1);
  }
  return byNumber;
}
