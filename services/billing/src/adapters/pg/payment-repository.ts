import type pg from "pg";

export interface PaymentRow {
  paymentId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  method: string;
  reference: string;
  recordedBy: string;
}

export const paymentRepository = {
  async existsWithReference(tx: pg.ClientBase, orderId: string, reference: string): Promise<boolean> {
    const { rowCount } = await tx.query("SELECT 1 FROM payments WHERE order_id = $1 AND reference = $2", [orderId, reference]);
    return (rowCount ?? 0) > 0;
  },

  async insert(tx: pg.ClientBase, p: PaymentRow): Promise<void> {
    await tx.query(
      "INSERT INTO payments (payment_id, order_id, amount_minor, currency, method, reference, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [p.paymentId, p.orderId, p.amountMinor, p.currency, p.method, p.reference, p.recordedBy],
    );
  },
};
