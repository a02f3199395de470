import type pg from "pg";

export interface PrepaymentRow {
  orderId: string;
  storeId: string;
  amountMinor: number;
  currency: string;
  method: string;
  channel: string;
}

/** Money taken at order time, one row per order. */
export const prepaymentRepository = {
  /** Heard from the order's creation and again from its settlement request: the first one counts. */
  async record(tx: pg.ClientBase, p: PrepaymentRow): Promise<void> {
    await tx.query(
      `INSERT INTO prepayments (order_id, store_id, amount_minor, currency, method, channel) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (order_id) DO NOTHING`,
      [p.orderId, p.storeId, p.amountMinor, p.currency, p.method, p.channel],
    );
  },
};
