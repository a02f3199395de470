import type pg from "pg";

export interface CancellationRow {
  orderId: string;
  /** The cancellation event that told billing ("cancellation:<event id>"). */
  reference: string;
  reason: string;
  cancelledBy: string;
}

/** Orders billing heard were cancelled. Writes take the caller's transaction, under the order's money lock. */
export const cancellationRepository = {
  /** The first cancellation heard counts; hearing it again changes nothing. */
  async record(tx: pg.ClientBase, c: CancellationRow): Promise<void> {
    await tx.query(
      `INSERT INTO order_cancellations (order_id, reference, reason, cancelled_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING`,
      [c.orderId, c.reference, c.reason, c.cancelledBy],
    );
  },

  /** Which of these orders were cancelled. */
  async cancelledAmong(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await tx.query<{ order_id: string }>("SELECT order_id FROM order_cancellations WHERE order_id = ANY($1::text[])", [[...new Set(orderIds)]]);
    return new Set(rows.map((r) => r.order_id));
  },
};
