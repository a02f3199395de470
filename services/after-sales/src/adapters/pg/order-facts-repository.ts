import type pg from "pg";
import type { OrderFacts } from "../../domain/order-facts.ts";

interface OrderFactsRow {
  order_id: string;
  store_id: string;
  kind: string;
  status: string;
  delivered_at: Date | null;
  closed_at: Date | null;
  customer_id: string;
  lines: { sku: string; quantity: number }[];
  /** bigint: pg hands it over as text. */
  grand_total_minor: string;
  currency: string;
}

const columns = "order_id, store_id, kind, status, delivered_at, closed_at, customer_id, lines, grand_total_minor, currency";

function fromRow(row: OrderFactsRow): OrderFacts {
  return {
    orderId: row.order_id,
    storeId: row.store_id,
    kind: row.kind,
    status: row.status,
    deliveredAt: row.delivered_at ?? undefined,
    closedAt: row.closed_at ?? undefined,
    customerId: row.customer_id,
    lines: row.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    grandTotalMinor: Number(row.grand_total_minor),
    currency: row.currency,
  };
}

/** Order facts in after-sales' schema; a batch is read and written in one statement each. */
export const orderFactsRepository = {
  /** The facts on record of these orders, their rows locked in order-id order until the transaction ends. */
  async lockMany(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, OrderFacts>> {
    if (orderIds.length === 0) return new Map();
    const { rows } = await tx.query<OrderFactsRow>(
      `SELECT ${columns} FROM order_facts WHERE order_id = ANY($1::text[]) ORDER BY order_id FOR UPDATE`,
      [[...new Set(orderIds)]],
    );
    return new Map(rows.map((row) => [row.order_id, fromRow(row)]));
  },

  /**
   * One order's facts, locked until the transaction ends: its cases are opened one at a time
   * (the goods they name stay within what was ordered) and resolved one at a time (their
   * refunds stay within its total).
   */
  async lock(tx: pg.ClientBase, orderId: string): Promise<OrderFacts | undefined> {
    const row = (await tx.query<OrderFactsRow>(`SELECT ${columns} FROM order_facts WHERE order_id = $1 FOR UPDATE`, [orderId])).rows[0];
    return row && fromRow(row);
  },

  async find(db: pg.Pool | pg.ClientBase, orderId: string): Promise<OrderFacts | undefined> {
    const row = (await db.query<OrderFactsRow>(`SELECT ${columns} FROM order_facts WHERE order_id = $1`, [orderId])).rows[0];
    return row && fromRow(row);
  },

  /** Writes every order's facts in one multi-row upsert, in the given order (order-id order, as lockMany locks). */
  async saveMany(tx: pg.ClientBase, facts: readonly OrderFacts[]): Promise<void> {
    if (facts.length === 0) return;
    await tx.query(
      `INSERT INTO order_facts (${columns})
       SELECT ${columns} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                                     $7::text[], $8::jsonb[], $9::bigint[], $10::text[]) WITH ORDINALITY
                AS f(order_id, store_id, kind, status, delivered_at, closed_at, customer_id, lines, grand_total_minor, currency, position)
       ORDER BY position
       ON CONFLICT (order_id) DO UPDATE SET store_id = EXCLUDED.store_id, kind = EXCLUDED.kind, status = EXCLUDED.status,
         delivered_at = EXCLUDED.delivered_at, closed_at = EXCLUDED.closed_at, customer_id = EXCLUDED.customer_id, lines = EXCLUDED.lines,
         grand_total_minor = EXCLUDED.grand_total_minor, currency = EXCLUDED.currency, updated_at = now()`,
      [
        facts.map((f) => f.orderId),
        facts.map((f) => f.storeId),
        facts.map((f) => f.kind),
        facts.map((f) => f.status),
        facts.map((f) => f.deliveredAt ?? null),
        facts.map((f) => f.closedAt ?? null),
        facts.map((f) => f.customerId),
        facts.map((f) => JSON.stringify(f.lines)),
        facts.map((f) => f.grandTotalMinor),
        facts.map((f) => f.currency),
      ],
    );
  },
};
