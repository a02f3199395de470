import type pg from "pg";
import type { OrderMoney, RefundTrigger } from "../../domain/reconciliation.ts";

/** What a reconciliation reads of billing's own records: which orders had money moments in a period, and each order's money. */
export const reconciliationMoneyReader = {
  /**
   * The store's orders with a money moment in [from, until): a settlement prepared, a
   * prepayment, a payment or a refund recorded, an invoice or credit note issued. A payment or
   * refund belongs to the store of the order's settlement (or prepayment, before any settlement).
   */
  async ordersWithMoneyIn(db: pg.Pool | pg.ClientBase, storeId: string, from: Date, until: Date): Promise<string[]> {
    const { rows } = await db.query<{ order_id: string }>(
      `WITH moments AS (
         SELECT order_id FROM settlements WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
         UNION SELECT order_id FROM prepayments WHERE store_id = $1 AND recorded_at >= $2 AND recorded_at < $3
         UNION SELECT order_id FROM invoices WHERE store_id = $1 AND issued_at >= $2 AND issued_at < $3
         UNION SELECT order_id FROM payments WHERE recorded_at >= $2 AND recorded_at < $3
         UNION SELECT order_id FROM refunds WHERE issued_at >= $2 AND issued_at < $3
       )
       SELECT m.order_id FROM moments m
       LEFT JOIN settlements s ON s.order_id = m.order_id
       LEFT JOIN prepayments p ON p.order_id = m.order_id
       WHERE coalesce(s.store_id, p.store_id) = $1
          OR EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = m.order_id AND i.store_id = $1)
       ORDER BY m.order_id`,
      [storeId, from, until],
    );
    return rows.map((r) => r.order_id);
  },

  /** Each order's money as billing holds it; orders billing holds nothing of are left out. */
  async moneyOf(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, OrderMoney>> {
    if (orderIds.length === 0) return new Map();
    const { rows } = await db.query<{
      order_id: string;
      currency: string | null;
      settled: boolean;
      paid_minor: string;
      refunded: Record<string, string> | null;
      invoiced: boolean;
      anything: boolean;
    }>(
      `SELECT o.order_id,
              coalesce(s.currency, pp.currency, pay.currency, inv.currency) AS currency,
              s.order_id IS NOT NULL AS settled,
              coalesce(pp.amount_minor, 0) + coalesce(pay.total, 0) AS paid_minor,
              ref.by_trigger AS refunded,
              inv.order_id IS NOT NULL AS invoiced,
              (s.order_id IS NOT NULL OR pp.order_id IS NOT NULL OR pay.order_id IS NOT NULL OR ref.order_id IS NOT NULL OR inv.order_id IS NOT NULL) AS anything
       FROM unnest($1::text[]) AS o(order_id)
       LEFT JOIN settlements s ON s.order_id = o.order_id
       LEFT JOIN prepayments pp ON pp.order_id = o.order_id
       LEFT JOIN (SELECT order_id, sum(amount_minor) AS total, min(currency) AS currency FROM payments WHERE order_id = ANY($1::text[]) GROUP BY order_id) pay
         ON pay.order_id = o.order_id
       LEFT JOIN (
         SELECT order_id, jsonb_object_agg(trigger, total) AS by_trigger
         FROM (SELECT order_id, trigger, sum(amount_minor) AS total FROM refunds WHERE order_id = ANY($1::text[]) GROUP BY order_id, trigger) t
         GROUP BY order_id
       ) ref ON ref.order_id = o.order_id
       LEFT JOIN (SELECT DISTINCT ON (order_id) order_id, currency FROM invoices WHERE order_id = ANY($1::text[]) AND kind = 'invoice') inv
         ON inv.order_id = o.order_id`,
      [[...new Set(orderIds)]],
    );
    const money = new Map<string, OrderMoney>();
    for (const row of rows) {
      if (!row.anything) continue;
      const refunded = row.refunded ?? {};
      const triggered = (trigger: RefundTrigger) => Number(refunded[trigger] ?? 0);
      money.set(row.order_id, {
        orderId: row.order_id,
        currency: row.currency ?? "",
        settled: row.settled,
        paidMinor: Number(row.paid_minor),
        refundedMinor: { cancellation: triggered("cancellation"), finance: triggered("finance"), substitution: triggered("substitution"), "after-sales": triggered("after-sales") },
        invoiced: row.invoiced,
      });
    }
    return money;
  },
};
