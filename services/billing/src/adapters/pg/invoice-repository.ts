import type pg from "pg";
import type { ClosingMoney, InvoiceDraft, InvoiceKind, StandingInvoice } from "../../domain/invoice.ts";

export interface InvoiceRow {
  invoiceNumber: string;
  kind: InvoiceKind;
  orderId: string;
  storeId: string;
  currency: string;
  amountMinor: number;
  taxMinor: number;
  /** A credit note: the number of the invoice it corrects, and the refund it records. */
  corrects: string;
  refundId: string;
  issuedBy: string;
  issuedAt: Date;
}

interface InvoiceRecord {
  invoice_number: string;
  kind: InvoiceKind;
  order_id: string;
  store_id: string;
  currency: string;
  amount_minor: number;
  tax_minor: number;
  corrects: string | null;
  refund_id: string | null;
  issued_by: string;
  issued_at: Date;
}

const listed = `SELECT i.invoice_number, i.kind, i.order_id, i.store_id, i.currency, i.amount_minor, i.tax_minor,
                       c.invoice_number AS corrects, i.refund_id, i.issued_by, i.issued_at
                FROM invoices i LEFT JOIN invoices c ON c.invoice_id = i.corrects_invoice_id`;

function fromRecord(r: InvoiceRecord): InvoiceRow {
  return {
    invoiceNumber: r.invoice_number,
    kind: r.kind,
    orderId: r.order_id,
    storeId: r.store_id,
    currency: r.currency,
    amountMinor: r.amount_minor,
    taxMinor: r.tax_minor,
    corrects: r.corrects ?? "",
    refundId: r.refund_id ?? "",
    issuedBy: r.issued_by,
    issuedAt: r.issued_at,
  };
}

/** Invoices, credit notes and each store's numbers, in billing's schema. Writes take the caller's transaction. */
export const invoiceRepository = {
  /**
   * What billing holds of each order (that has a settlement) as it closes, and whether it
   * is invoiced already; one statement for a batch. Read under the orders' money lock.
   */
  async closingMoneyOf(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, { money: ClosingMoney; invoiced: boolean }>> {
    const { rows } = await tx.query<{
      order_id: string;
      store_id: string;
      currency: string;
      amount_due_minor: number;
      tax_minor: number;
      paid: string;
      refunded: string;
      invoiced: boolean;
    }>(
      `SELECT s.order_id, s.store_id, s.currency, s.amount_due_minor, s.tax_minor,
              (coalesce(pp.amount_minor, 0) + coalesce((SELECT sum(p.amount_minor) FROM payments p WHERE p.order_id = s.order_id), 0))::text AS paid,
              coalesce((SELECT sum(r.amount_minor) FROM refunds r WHERE r.order_id = s.order_id), 0)::text AS refunded,
              EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = s.order_id AND i.kind = 'invoice') AS invoiced
       FROM settlements s LEFT JOIN prepayments pp USING (order_id)
       WHERE s.order_id = ANY($1::text[])`,
      [[...new Set(orderIds)]],
    );
    return new Map(
      rows.map((r) => [
        r.order_id,
        {
          invoiced: r.invoiced,
          money: {
            orderId: r.order_id,
            storeId: r.store_id,
            currency: r.currency,
            paidMinor: Number(r.paid),
            refundedMinor: Number(r.refunded),
            amountDueMinor: r.amount_due_minor,
            taxMinor: r.tax_minor,
          },
        },
      ]),
    );
  },

  /** The order's invoice with what its credit notes took back so far (this transaction's included), or undefined. */
  async standingInvoiceOf(tx: pg.ClientBase, orderId: string): Promise<StandingInvoice | undefined> {
    const { rows } = await tx.query<{ invoice_id: string; store_id: string; currency: string; amount_minor: number; tax_minor: number; credited: string; credited_tax: string }>(
      `SELECT i.invoice_id, i.store_id, i.currency, i.amount_minor, i.tax_minor,
              coalesce(sum(c.amount_minor), 0)::text AS credited, coalesce(sum(c.tax_minor), 0)::text AS credited_tax
       FROM invoices i LEFT JOIN invoices c ON c.corrects_invoice_id = i.invoice_id
       WHERE i.order_id = $1 AND i.kind = 'invoice'
       GROUP BY i.invoice_id`,
      [orderId],
    );
    const r = rows[0];
    return r && { invoiceId: r.invoice_id, storeId: r.store_id, currency: r.currency, amountMinor: r.amount_minor, taxMinor: r.tax_minor, creditedMinor: Number(r.credited), creditedTaxMinor: Number(r.credited_tax) };
  },

  /** Records a decided document without its number; InvoiceDesk.issue numbers it before the commit. */
  async insertUnnumbered(tx: pg.ClientBase, invoiceId: string, d: InvoiceDraft, issuedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO invoices (invoice_id, kind, order_id, store_id, currency, amount_minor, tax_minor, corrects_invoice_id, refund_id, issued_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [invoiceId, d.kind, d.orderId, d.storeId, d.currency, d.amountMinor, d.taxMinor, d.correctsInvoiceId ?? null, d.refundId ?? null, issuedBy],
    );
  },

  /**
   * Draws the next `count` numbers of each store's series, stores in id order (two
   * transactions drawing for the same stores queue instead of deadlocking); the row of each
   * store stays locked until the commit. The first number drawn, by store.
   */
  async drawNumbers(tx: pg.ClientBase, counts: ReadonlyMap<string, number>): Promise<Map<string, number>> {
    const stores = [...counts.keys()].sort();
    const { rows } = await tx.query<{ store_id: string; last_number: string }>(
      `INSERT INTO invoice_series AS s (store_id, last_number)
       SELECT store_id, n FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS d(store_id, n, position) ORDER BY position
       ON CONFLICT (store_id) DO UPDATE SET last_number = s.last_number + EXCLUDED.last_number
       RETURNING store_id, last_number::text`,
      [stores, stores.map((s) => counts.get(s)!)],
    );
    return new Map(rows.map((r) => [r.store_id, Number(r.last_number) - counts.get(r.store_id)! + 1]));
  },

  /**
   * Gives each document its number, and its time of issue now: numbers are drawn one
   * transaction at a time per store (drawNumbers), so a store's documents are issued in the
   * order of their numbers and a register over a period has no gap at its edges.
   */
  async number(tx: pg.ClientBase, numbered: readonly { invoiceId: string; number: number; invoiceNumber: string }[]): Promise<Map<string, InvoiceRow>> {
    const ids = numbered.map((n) => n.invoiceId);
    await tx.query(
      `UPDATE invoices i SET number = d.number, invoice_number = d.invoice_number, issued_at = clock_timestamp()
       FROM unnest($1::text[], $2::bigint[], $3::text[]) AS d(invoice_id, number, invoice_number)
       WHERE i.invoice_id = d.invoice_id`,
      [ids, numbered.map((n) => n.number), numbered.map((n) => n.invoiceNumber)],
    );
    const { rows } = await tx.query<InvoiceRecord & { invoice_id: string }>(`${listed.replace("SELECT ", "SELECT i.invoice_id, ")} WHERE i.invoice_id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.invoice_id, fromRecord(r)]));
  },

  async listByOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<InvoiceRow[]> {
    const { rows } = await db.query<InvoiceRecord>(`${listed} WHERE i.order_id = $1 ORDER BY i.position`, [orderId]);
    return rows.map(fromRecord);
  },

  /** A page of a store's register over [from, until): at most `limit` documents numbered after `afterNumber`, by number. */
  async listByStore(db: pg.Pool | pg.ClientBase, page: { storeId: string; from: Date; until: Date; afterNumber: number; limit: number }): Promise<(InvoiceRow & { number: number })[]> {
    const { rows } = await db.query<InvoiceRecord & { number: string }>(
      `${listed.replace("SELECT ", "SELECT i.number::text AS number, ")}
       WHERE i.store_id = $1 AND i.issued_at >= $2 AND i.issued_at < $3 AND i.number > $4 ORDER BY i.number LIMIT $5`,
      [page.storeId, page.from, page.until, page.afterNumber, page.limit],
    );
    return rows.map((r) => ({ ...fromRecord(r), number: Number(r.number) }));
  },
};
