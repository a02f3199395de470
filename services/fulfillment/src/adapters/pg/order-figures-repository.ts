import type pg from "pg";
import type { Order } from "../../domain/order.ts";

/** What billing reconciles against: an order's store, status and totals, when it was created and last changed. */
export interface OrderFiguresRow {
  orderId: string;
  storeId: string;
  status: Order["status"];
  totals: Order["totals"];
  paymentMethod: string;
  createdAt: Date;
  updatedAt: Date;
  /** `updatedAt` as Postgres writes it, to the microsecond (a Date keeps only milliseconds): the keyset position. */
  updatedExact: string;
}

interface Row {
  order_id: string;
  store_id: string;
  status: Order["status"];
  totals: Order["totals"];
  payment_method: string | null;
  created_at: Date;
  updated_at: Date;
  updated_exact: string;
}

const columns = `order_id, store_id, status, body->'totals' AS totals, body->>'paymentMethod' AS payment_method, created_at, updated_at,
  updated_at::text AS updated_exact`;

const figuresOf = (row: Row): OrderFiguresRow => ({
  orderId: row.order_id,
  storeId: row.store_id,
  status: row.status,
  totals: row.totals,
  paymentMethod: row.payment_method ?? "",
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  updatedExact: row.updated_exact,
});

export const orderFiguresRepository = {
  /** A store's orders closed or cancelled in [from, until), oldest first, after the keyset position (partial index orders_store_ended). */
  async endedAt(db: pg.Pool, storeId: string, from: Date, until: Date, after: { updatedExact: string; orderId: string } | undefined, limit: number): Promise<OrderFiguresRow[]> {
    const { rows } = await db.query<Row>(
      `SELECT ${columns} FROM orders
       WHERE store_id = $1 AND status IN ('closed', 'cancelled') AND updated_at >= $2 AND updated_at < $3
         AND ($4::timestamptz IS NULL OR (updated_at, order_id) > ($4::timestamptz, $5::text))
       ORDER BY updated_at, order_id LIMIT $6`,
      [storeId, from, until, after?.updatedExact ?? null, after?.orderId ?? "", limit],
    );
    return rows.map(figuresOf);
  },

  /** The orders of these ids that exist, whatever their store and status. */
  async byIds(db: pg.Pool, orderIds: readonly string[]): Promise<OrderFiguresRow[]> {
    const { rows } = await db.query<Row>(`SELECT ${columns} FROM orders WHERE order_id = ANY($1::text[]) ORDER BY order_id`, [[...new Set(orderIds)]]);
    return rows.map(figuresOf);
  },
};
