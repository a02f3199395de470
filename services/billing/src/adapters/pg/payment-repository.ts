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

/** What a payment recorded under a reference was. */
export interface PaidUnderReference {
  amountMinor: number;
  currency: string;
  method: string;
}

export const paymentRepository = {
  /** The orders' payments by their `orderId reference` keys (see referenceKey): what each reference paid. */
  async referencesOf(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, PaidUnderReference>> {
    const { rows } = await tx.query<{ order_id: string; reference: string; amount_minor: string | number; currency: string; method: string }>(
      "SELECT order_id, reference, amount_minor, currency, method FROM payments WHERE order_id = ANY($1::text[])",
      [[...new Set(orderIds)]],
    );
    return new Map(rows.map((r) => [referenceKey(r.order_id, r.reference), { amountMinor: Number(r.amount_minor), currency: r.currency, method: r.method }]));
  },

  async insertMany(tx: pg.ClientBase, payments: readonly PaymentRow[]): Promise<void> {
    if (payments.length === 0) return;
    await tx.query(
      `INSERT INTO payments (payment_id, order_id, amount_minor, currency, method, reference, recorded_by)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        payments.map((p) => p.paymentId),
        payments.map((p) => p.orderId),
        payments.map((p) => p.amountMinor),
        payments.map((p) => p.currency),
        payments.map((p) => p.method),
        payments.map((p) => p.reference),
        payments.map((p) => p.recordedBy),
      ],
    );
  },
};

export const referenceKey = (orderId: string, reference: string) => `${orderId} ${reference}`;

