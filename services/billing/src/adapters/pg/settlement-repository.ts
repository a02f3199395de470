import type pg from "pg";
import type { Settlement } from "../../domain/settlement.ts";

interface SettlementRow {
  settlement_id: string;
  order_id: string;
  store_id: string;
  currency: string;
  amount_due_minor: number;
  amount_paid_minor: number;
  payment_method: string;
  status: Settlement["status"];
}

const columns = "settlement_id, order_id, store_id, currency, amount_due_minor, amount_paid_minor, payment_method, status";

function fromRow(row: SettlementRow): Settlement {
  return {
    settlementId: row.settlement_id,
    orderId: row.order_id,
    storeId: row.store_id,
    currency: row.currency,
    amountDueMinor: row.amount_due_minor,
    amountPaidMinor: row.amount_paid_minor,
    paymentMethod: row.payment_method,
    status: row.status,
  };
}

/** Settlements in billing's schema. Writes take the caller's transaction. */
export const settlementRepository = {
  /** The order's settlement, locked for the rest of the transaction. */
  async lockByOrder(tx: pg.ClientBase, orderId: string): Promise<Settlement | undefined> {
    const { rows } = await tx.query<SettlementRow>(`SELECT ${columns} FROM settlements WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows[0] && fromRow(rows[0]);
  },

  async findByOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<Settlement | undefined> {
    const { rows } = await db.query<SettlementRow>(`SELECT ${columns} FROM settlements WHERE order_id = $1`, [orderId]);
    return rows[0] && fromRow(rows[0]);
  },

  async save(tx: pg.ClientBase, s: Settlement): Promise<void> {
    await tx.query(
      `INSERT INTO settlements (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (settlement_id) DO UPDATE SET
         amount_due_minor = EXCLUDED.amount_due_minor, amount_paid_minor = EXCLUDED.amount_paid_minor,
         payment_method = EXCLUDED.payment_method, status = EXCLUDED.status, updated_at = now()`,
      [s.settlementId, s.orderId, s.storeId, s.currency, s.amountDueMinor, s.amountPaidMinor, s.paymentMethod, s.status],
    );
  },
};
