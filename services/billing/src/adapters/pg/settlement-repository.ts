import type pg from "pg";
import type { Settlement } from "../../domain/settlement.ts";
import { lockOrderMoney } from "./order-money-lock.ts";

interface SettlementRow {
  settlement_id: string;
  order_id: string;
  store_id: string;
  currency: string;
  amount_due_minor: number;
  tax_minor: number;
  amount_paid_minor: number;
  payment_method: string;
  status: Settlement["status"];
}

const columns = "settlement_id, order_id, store_id, currency, amount_due_minor, tax_minor, amount_paid_minor, payment_method, status";

function fromRow(row: SettlementRow): Settlement {
  return {
    settlementId: row.settlement_id,
    orderId: row.order_id,
    storeId: row.store_id,
    currency: row.currency,
    amountDueMinor: row.amount_due_minor,
    taxMinor: row.tax_minor,
    amountPaidMinor: row.amount_paid_minor,
    paymentMethod: row.payment_method,
    status: row.status,
  };
}

/** Settlements in billing's schema. Writes take the caller's transaction. */
export const settlementRepository = {
  /**
   * The orders' settlements (those that exist), read once the orders' money is held (see
   * lockOrderMoney) and their rows locked in one statement in order id order.
   */
  async lockByOrders(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, Settlement>> {
    await lockOrderMoney(tx, orderIds);
    const { rows } = await tx.query<SettlementRow>(`SELECT ${columns} FROM settlements WHERE order_id = ANY($1::text[]) ORDER BY order_id FOR UPDATE`, [
      [...new Set(orderIds)],
    ]);
    return new Map(rows.map((row) => [row.order_id, fromRow(row)]));
  },

  async findByOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<Settlement | undefined> {
    const { rows } = await db.query<SettlementRow>(`SELECT ${columns} FROM settlements WHERE order_id = $1`, [orderId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Inserts or updates settlements in one statement; each settlement at most once. */
  async saveMany(tx: pg.ClientBase, settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    await tx.query(
      `INSERT INTO settlements (${columns})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
       ON CONFLICT (settlement_id) DO UPDATE SET
         amount_due_minor = EXCLUDED.amount_due_minor, amount_paid_minor = EXCLUDED.amount_paid_minor,
         payment_method = EXCLUDED.payment_method, status = EXCLUDED.status, updated_at = now()`,
      [
        settlements.map((s) => s.settlementId),
        settlements.map((s) => s.orderId),
        settlements.map((s) => s.storeId),
        settlements.map((s) => s.currency),
        settlements.map((s) => s.amountDueMinor),
        settlements.map((s) => s.taxMinor),
        settlements.map((s) => s.amountPaidMinor),
        settlements.map((s) => s.paymentMethod),
        settlements.map((s) => s.status),
      ],
    );
  },
};
