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
  /** Heard from the order's creation and again from its settlement request: the first one counts, also within one call. */
  async recordMany(tx: pg.ClientBase, prepayments: readonly PrepaymentRow[]): Promise<void> {
    if (prepayments.length === 0) return;
    await tx.query(
      `INSERT INTO prepayments (order_id, store_id, amount_minor, currency, method, channel)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (order_id) DO NOTHING`,
      [
        prepayments.map((p) => p.orderId),
        prepayments.map((p) => p.storeId),
        prepayments.map((p) => p.amountMinor),
        prepayments.map((p) => p.currency),
        prepayments.map((p) => p.method),
        prepayments.map((p) => p.channel),
      ],
    );
  },
};
