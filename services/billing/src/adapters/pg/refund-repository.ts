import type pg from "pg";
import type { RefundAccount, RefundTrigger } from "../../domain/refund.ts";
import { lockOrderMoney } from "./order-money-lock.ts";

export interface RefundRow {
  refundId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  method: string;
  source: string;
  reason: string;
  trigger: RefundTrigger;
  reference: string;
  issuedBy: string;
  issuedAt: Date;
}

/** An order's refund account and the store it belongs to (for the events' envelope). */
export interface StoredRefundAccount {
  account: RefundAccount;
  storeId: string;
}

const marketplacePrefix = "marketplace:";

/** Refunds and the money they come from, in billing's schema. Writes take the caller's transaction. */
export const refundRepository = {
  /**
   * The order's account, with every other refund and every payment of the order waiting
   * until this transaction ends (see lockOrderMoney): two refunds decided at once could
   * together exceed what was paid, and a payment recorded meanwhile would be missed.
   * Undefined when billing knows neither a prepayment nor a settlement of the order.
   */
  async lockAccount(tx: pg.ClientBase, orderId: string): Promise<StoredRefundAccount | undefined> {
    await lockOrderMoney(tx, [orderId]);
    return refundRepository.findAccount(tx, orderId);
  },

  async findAccount(db: pg.Pool | pg.ClientBase, orderId: string): Promise<StoredRefundAccount | undefined> {
    const { rows } = await db.query<{
      store_id: string;
      currency: string;
      channel: string | null;
      prepaid_minor: number | null;
      prepaid_method: string | null;
    }>(
      `SELECT coalesce(pp.store_id, s.store_id) AS store_id, coalesce(pp.currency, s.currency) AS currency, pp.channel,
              pp.amount_minor AS prepaid_minor, pp.method AS prepaid_method
       FROM (SELECT $1::text AS order_id) o
       LEFT JOIN prepayments pp USING (order_id)
       LEFT JOIN settlements s USING (order_id)
       WHERE pp.order_id IS NOT NULL OR s.order_id IS NOT NULL`,
      [orderId],
    );
    const head = rows[0];
    if (!head) return undefined;
    const payments = await db.query<{ payment_id: string; amount_minor: number; method: string }>(
      "SELECT payment_id, amount_minor, method FROM payments WHERE order_id = $1 ORDER BY recorded_at, payment_id",
      [orderId],
    );
    const refunded = await db.query<{ source: string; amount_minor: number }>("SELECT source, amount_minor FROM refunds WHERE order_id = $1", [orderId]);
    const taken = [
      ...(head.prepaid_minor ? [{ source: "prepayment", amountMinor: head.prepaid_minor, method: head.prepaid_method! }] : []),
      ...payments.rows.map((p) => ({ source: p.payment_id, amountMinor: p.amount_minor, method: p.method })),
    ];
    return {
      storeId: head.store_id,
      account: {
        orderId,
        currency: head.currency,
        marketplace: (head.channel ?? "").startsWith(marketplacePrefix),
        taken,
        refunded: refunded.rows.map((r) => ({ source: r.source, amountMinor: r.amount_minor })),
      },
    };
  },

  /** What was refunded under the reference (one refund may have gone back over several payments), or undefined. */
  async issuedUnder(tx: pg.ClientBase, orderId: string, reference: string): Promise<{ amountMinor: number; reason: string } | undefined> {
    const { rows } = await tx.query<{ amount: string; reason: string }>(
      "SELECT sum(amount_minor)::text AS amount, min(reason) AS reason FROM refunds WHERE order_id = $1 AND reference = $2 HAVING count(*) > 0",
      [orderId, reference],
    );
    return rows[0] ? { amountMinor: Number(rows[0].amount), reason: rows[0].reason } : undefined;
  },

  async insert(tx: pg.ClientBase, r: Omit<RefundRow, "issuedAt">): Promise<void> {
    await tx.query(
      `INSERT INTO refunds (refund_id, order_id, amount_minor, currency, method, source, reason, trigger, reference, issued_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.refundId, r.orderId, r.amountMinor, r.currency, r.method, r.source, r.reason, r.trigger, r.reference, r.issuedBy],
    );
  },

  async listByOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<RefundRow[]> {
    const { rows } = await db.query<{
      refund_id: string;
      order_id: string;
      amount_minor: number;
      currency: string;
      method: string;
      source: string;
      reason: string;
      trigger: RefundTrigger;
      reference: string;
      issued_by: string;
      issued_at: Date;
    }>(
      `SELECT refund_id, order_id, amount_minor, currency, method, source, reason, trigger, reference, issued_by, issued_at
       FROM refunds WHERE order_id = $1 ORDER BY position`,
      [orderId],
    );
    return rows.map((r) => ({
      refundId: r.refund_id,
      orderId: r.order_id,
      amountMinor: r.amount_minor,
      currency: r.currency,
      method: r.method,
      source: r.source,
      reason: r.reason,
      trigger: r.trigger,
      reference: r.reference,
      issuedBy: r.issued_by,
      issuedAt: r.issued_at,
    }));
  },
};
