import type pg from "pg";
import type { Order } from "../../domain/order.ts";
import { timelineColumns, timelineDocument, timelineRecords, type TimelineEntry } from "./timeline-repository.ts";

interface OrderRow {
  order_id: string;
  store_id: string;
  channel: string;
  channel_order_id: string;
  kind: Order["kind"];
  status: Order["status"];
  hold_reason: Order["holdReason"] | null;
  priority: number;
  body: Omit<Order, "orderId" | "storeId" | "channel" | "channelOrderId" | "kind" | "status" | "holdReason" | "priority">;
  created_at: Date;
  updated_at: Date;
  created_micros: number;
}

export interface StoredOrder {
  order: Order;
  createdAt: Date;
  updatedAt: Date;
  /** Creation time in microseconds: the exact keyset position (Date keeps only milliseconds). */
  createdMicros: number;
}

const columns =
  "order_id, store_id, channel, channel_order_id, kind, status, hold_reason, priority, body, created_at, updated_at, (extract(epoch FROM created_at) * 1000000)::bigint AS created_micros";

function fromRow(row: OrderRow): StoredOrder {
  return {
    order: {
      ...row.body,
      orderId: row.order_id,
      storeId: row.store_id,
      channel: row.channel,
      channelOrderId: row.channel_order_id,
      kind: row.kind,
      status: row.status,
      holdReason: row.hold_reason ?? undefined,
      priority: row.priority,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdMicros: row.created_micros,
  };
}

/** The order as saveMany's JSON rows carry it; routing may have moved it to another store. */
function rowOf(order: Order): Omit<OrderRow, "created_at" | "updated_at" | "created_micros"> {
  const { orderId, storeId, channel, channelOrderId, kind, status, holdReason, priority, ...body } = order;
  return { order_id: orderId, store_id: storeId, channel, channel_order_id: channelOrderId, kind, status, hold_reason: holdReason ?? null, priority, body };
}

export interface OrderFilter {
  storeId?: string;
  status?: string;
  channel?: string;
  minPriority?: number;
  createdFrom?: Date;
  createdUntil?: Date;
  /** Keyset cursor: orders created before this point (newest first). */
  before?: { createdMicros: number; orderId: string };
  limit: number;
}

export const orderRepository = {
  /** The order, locked until the transaction ends: the adapter side of `update(id, fn)`. */
  async lock(tx: pg.ClientBase, orderId: string): Promise<Order | undefined> {
    const { rows } = await tx.query<OrderRow>(`SELECT ${columns} FROM orders WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows[0] && fromRow(rows[0]).order;
  },

  async find(db: pg.Pool | pg.ClientBase, orderId: string): Promise<StoredOrder | undefined> {
    const { rows } = await db.query<OrderRow>(`SELECT ${columns} FROM orders WHERE order_id = $1`, [orderId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Several orders in one statement, unlocked, by id. */
  async findMany(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, StoredOrder>> {
    const { rows } = await db.query<OrderRow>(`SELECT ${columns} FROM orders WHERE order_id = ANY($1::text[])`, [[...new Set(orderIds)]]);
    return new Map(rows.map((row) => [row.order_id, fromRow(row)]));
  },

  /** Several orders locked in one statement, in id order so two batches never deadlock. */
  async lockMany(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, Order>> {
    const { rows } = await tx.query<OrderRow>(
      `SELECT ${columns} FROM orders WHERE order_id = ANY($1::text[]) ORDER BY order_id FOR UPDATE`,
      [[...new Set(orderIds)]],
    );
    return new Map(rows.map((row) => [row.order_id, fromRow(row).order]));
  },

  /**
   * A unit of work's writes in one round trip: the new orders inserted (one already there
   * is left as it is), the changed ones updated, and the timeline entries appended (one for
   * an event already recorded is skipped). Inserted and updated orders are different rows
   * and the timeline holds no key to them, so the WITH's sub-statements have no order to
   * keep. Each set travels as one JSON document: in jsonb[] and text[] parameters the
   * driver escaped every body into an array literal, the largest part of what fulfillment
   * allocated under load after kafkajs.
   */
  async saveMany(tx: pg.ClientBase, changes: { inserted: readonly Order[]; updated: readonly Order[]; timeline: readonly TimelineEntry[] }): Promise<void> {
    const { inserted, updated, timeline } = changes;
    if (inserted.length + updated.length + timeline.length === 0) return;
    await tx.query(
      `WITH inserted AS (
         INSERT INTO orders (order_id, store_id, channel, channel_order_id, kind, status, hold_reason, priority, body)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS i(order_id text, store_id text, channel text, channel_order_id text, kind text, status text, hold_reason text, priority int, body jsonb)
         ON CONFLICT (order_id) DO NOTHING
       ), updated AS (
         UPDATE orders o SET status = u.status, hold_reason = u.hold_reason, priority = u.priority, body = u.body, store_id = u.store_id,
           version = o.version + 1, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS u(order_id text, status text, hold_reason text, priority int, body jsonb, store_id text)
         WHERE o.order_id = u.order_id
       )
       INSERT INTO timeline (${timelineColumns})
       SELECT * FROM ${timelineRecords("$3")}
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(inserted.map(rowOf)), JSON.stringify(updated.map(rowOf)), timelineDocument(timeline)],
    );
  },

  async list(db: pg.Pool, filter: OrderFilter): Promise<StoredOrder[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace("?", `$${params.length}`));
    };
    if (filter.storeId) {
      params.push(filter.storeId);
      const store = `$${params.length}`;
      // A split order is listed at every store serving a part of it, not only under its first
      // (the partial index orders_part_stores covers the second branch).
      where.push(`(store_id = ${store} OR (body ? 'parts' AND body->'parts' @> jsonb_build_array(jsonb_build_object('storeId', ${store}::text))))`);
    }
    if (filter.status) add("status = ?", filter.status);
    if (filter.channel) add("channel = ?", filter.channel);
    if (filter.minPriority) add("priority >= ?", filter.minPriority);
    if (filter.createdFrom) add("created_at >= ?", filter.createdFrom);
    if (filter.createdUntil) add("created_at < ?", filter.createdUntil);
    if (filter.before) {
      params.push(filter.before.createdMicros, filter.before.orderId);
      where.push(`(created_at, order_id) < (to_timestamp($${params.length - 1}::double precision / 1000000), $${params.length})`);
    }
    params.push(filter.limit);
    const { rows } = await db.query<OrderRow>(
      `SELECT ${columns} FROM orders ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY created_at DESC, order_id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  },
};
