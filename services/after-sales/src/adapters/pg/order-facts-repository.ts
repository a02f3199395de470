import type pg from "pg";
import type { OrderFacts } from "../../domain/order-facts.ts";

interface OrderFactsRow {
  order_id: string;
  store_id: string;
  kind: string;
  status: string;
  delivered_at: Date | null;
  closed_at: Date | null;
}

const select = "SELECT order_id, store_id, kind, status, delivered_at, closed_at FROM order_facts WHERE order_id = $1";

function fromRow(row: OrderFactsRow | undefined): OrderFacts | undefined {
  return row && {
    orderId: row.order_id,
    storeId: row.store_id,
    kind: row.kind,
    status: row.status,
    deliveredAt: row.delivered_at ?? undefined,
    closedAt: row.closed_at ?? undefined,
  };
}

export const orderFactsRepository = {
  async lock(tx: pg.ClientBase, orderId: string): Promise<OrderFacts | undefined> {
    return fromRow((await tx.query<OrderFactsRow>(`${select} FOR UPDATE`, [orderId])).rows[0]);
  },

  async find(db: pg.Pool | pg.ClientBase, orderId: string): Promise<OrderFacts | undefined> {
    return fromRow((await db.query<OrderFactsRow>(select, [orderId])).rows[0]);
  },

  async save(tx: pg.ClientBase, facts: OrderFacts): Promise<void> {
    await tx.query(
      `INSERT INTO order_facts (order_id, store_id, kind, status, delivered_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (order_id) DO UPDATE SET kind = EXCLUDED.kind, status = EXCLUDED.status,
         delivered_at = EXCLUDED.delivered_at, closed_at = EXCLUDED.closed_at, updated_at = now()`,
      [facts.orderId, facts.storeId, facts.kind, facts.status, facts.deliveredAt ?? null, facts.closedAt ?? null],
    );
  },
};
