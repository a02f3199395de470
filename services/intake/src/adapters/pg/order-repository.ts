import type pg from "pg";
import type { events } from "@oms/contracts";
import { packBytes, packTexts, type StatementParameters } from "@oms/postgres";

/** "received": handed to fulfillment; "in-review": waiting for a reviewer; "rejected": a reviewer turned it down. */
export type IntakeOrderStatus = "received" | "in-review" | "rejected";

/**
 * An order as intake accepted it. `canonical` is in its sealed form (app/order-contacts.ts):
 * the contact only in `canonical.sealedContact`, which this repository keeps in a column of
 * its own. A row stored before contacts were sealed carries them in the clear until intake's
 * start seals it: never log `canonical`.
 */
export interface IntakeOrderRecord {
  orderId: string;
  channel: string;
  channelOrderId: string;
  idempotencyKey: string | undefined;
  requestFingerprint: string;
  storeId: string;
  kind: string;
  status: IntakeOrderStatus;
  /** The manual review the order went to, if it did. */
  reviewId: string | undefined;
  canonical: events.CanonicalOrder;
  /** "kind:id" of who submitted it, as timelines show actors. */
  actor: string;
  correlationId: string;
  eventId: string;
  receivedAt: Date;
}

interface OrderRow {
  order_id: string;
  channel: string;
  channel_order_id: string;
  idempotency_key: string | null;
  request_fingerprint: string;
  store_id: string;
  kind: string;
  status: IntakeOrderStatus;
  review_id: string | null;
  canonical: events.CanonicalOrder;
  sealed_contact: Buffer | null;
  actor: string;
  correlation_id: string;
  event_id: string;
  received_at: Date;
}

const columns =
  "order_id, channel, channel_order_id, idempotency_key, request_fingerprint, store_id, kind, status, review_id, canonical, sealed_contact, actor, correlation_id, event_id, received_at";

/** The content as stored in `canonical`: everything but the sealed contact, which has its own column. */
const storedContentOf = (canonical: events.CanonicalOrder) => {
  const { sealedContact: _inItsOwnColumn, ...content } = canonical;
  return JSON.stringify(content);
};

const recordOf = (r: OrderRow): IntakeOrderRecord => ({
  orderId: r.order_id,
  channel: r.channel,
  channelOrderId: r.channel_order_id,
  idempotencyKey: r.idempotency_key ?? undefined,
  requestFingerprint: r.request_fingerprint,
  storeId: r.store_id,
  kind: r.kind,
  status: r.status,
  reviewId: r.review_id ?? undefined,
  canonical: { ...r.canonical, sealedContact: r.sealed_contact ?? Buffer.alloc(0) },
  actor: r.actor,
  correlationId: r.correlation_id,
  eventId: r.event_id,
  receivedAt: r.received_at,
});

// Any total order does, as long as every instance uses the same one.
const compareKeys = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Accepted orders in intake's schema. Statements are named (prepared once per
 * connection), and the insert takes many orders at once, so a batch of concurrent
 * requests can share one statement and one commit.
 */
export const orderRepository = {
  /**
   * The insert of the orders that are new, as a step of a larger statement
   * (adapters/pg/acceptance-store.ts); it returns the `order_id`s it inserted. An order
   * whose channel order or idempotency key is already taken (by a committed order, by one
   * committing right now on another connection or instance, which Postgres waits for, or
   * by an earlier one in the same call) is skipped.
   */
  insertNewStep(given: readonly IntakeOrderRecord[], parameters: StatementParameters): string {
    // In key order, so concurrent batches take the unique index's entries in one order and
    // cannot deadlock. The sort is stable: of two requests for one channel order in the
    // same batch, the first to arrive wins, as it would without the batch.
    const orders = [...given].sort((x, y) => compareKeys(x.channel, y.channel) || compareKeys(x.channelOrderId, y.channelOrderId));
    // The orders' content and sealed contacts, the large values, travel packed in one bytea
    // each (packTexts, packBytes): as jsonb[] and bytea[] array literals node-postgres copied
    // and escaped them several times over, a sixth of intake's allocation per order.
    const contents = packTexts(orders.map((o) => storedContentOf(o.canonical)));
    const contacts = packBytes(orders.map((o) => o.canonical.sealedContact));
    const contentBytes = parameters.add(contents.bytes);
    const contactBytes = parameters.add(contacts.bytes);
    const unnested = [
      parameters.addArray(orders.map((o) => o.orderId), "text"),
      parameters.addArray(orders.map((o) => o.channel), "text"),
      parameters.addArray(orders.map((o) => o.channelOrderId), "text"),
      parameters.addArray(orders.map((o) => o.idempotencyKey ?? null), "text"),
      parameters.addArray(orders.map((o) => o.requestFingerprint), "text"),
      parameters.addArray(orders.map((o) => o.storeId), "text"),
      parameters.addArray(orders.map((o) => o.kind), "text"),
      parameters.addArray(orders.map((o) => o.canonical.totals?.grandTotalMinor ?? 0), "bigint"),
      parameters.addArray(orders.map((o) => o.canonical.totals?.currency ?? ""), "text"),
      parameters.addArray(contents.starts, "int"),
      parameters.addArray(contents.lengths, "int"),
      parameters.addArray(contacts.starts, "int"),
      parameters.addArray(contacts.lengths, "int"),
      parameters.addArray(orders.map((o) => o.actor), "text"),
      parameters.addArray(orders.map((o) => o.correlationId), "text"),
      parameters.addArray(orders.map((o) => o.eventId), "text"),
      parameters.addArray(orders.map((o) => o.receivedAt.toISOString()), "timestamptz"),
      parameters.addArray(orders.map((o) => o.status), "text"),
      parameters.addArray(orders.map((o) => o.reviewId ?? null), "text"),
    ];
    return `INSERT INTO orders (order_id, channel, channel_order_id, idempotency_key, request_fingerprint, store_id, kind,
                                 status, review_id, grand_total_minor, currency, canonical, sealed_contact, actor, correlation_id, event_id, received_at)
             SELECT o.order_id, o.channel, o.channel_order_id, o.idempotency_key, o.request_fingerprint, o.store_id, o.kind,
                    o.status, o.review_id, o.grand_total_minor, o.currency,
                    convert_from(substring(${contentBytes}::bytea FROM o.content_start FOR o.content_length), 'UTF8')::jsonb,
                    substring(${contactBytes}::bytea FROM o.contact_start FOR o.contact_length),
                    o.actor, o.correlation_id, o.event_id, o.received_at
             FROM unnest(${unnested.join(", ")})
                  AS o(order_id, channel, channel_order_id, idempotency_key, request_fingerprint, store_id, kind,
                       grand_total_minor, currency, content_start, content_length, contact_start, contact_length,
                       actor, correlation_id, event_id, received_at, status, review_id)
             ON CONFLICT DO NOTHING
             RETURNING order_id`;
  },

  /** The order that already holds this channel order or idempotency key, if any. */
  async findHolder(
    db: pg.Pool | pg.ClientBase,
    key: { channel: string; channelOrderId: string; idempotencyKey: string | undefined },
  ): Promise<IntakeOrderRecord | undefined> {
    const { rows } = await db.query<OrderRow>({
      name: "intake.orders.find-holder",
      text: `SELECT ${columns} FROM orders
             WHERE (channel = $1 AND channel_order_id = $2) OR ($3::text IS NOT NULL AND idempotency_key = $3)
             ORDER BY (channel = $1 AND channel_order_id = $2) DESC LIMIT 1`,
      values: [key.channel, key.channelOrderId, key.idempotencyKey ?? null],
    });
    return rows[0] && recordOf(rows[0]);
  },

  async findById(db: pg.Pool | pg.ClientBase, orderId: string): Promise<IntakeOrderRecord | undefined> {
    const { rows } = await db.query<OrderRow>({
      name: "intake.orders.find-by-id",
      text: `SELECT ${columns} FROM orders WHERE order_id = $1`,
      values: [orderId],
    });
    return rows[0] && recordOf(rows[0]);
  },

  /**
   * A customer's orders, newest first, `limit` at a time after the order `after` names (the
   * keyset of the previous page): on the customer index of migration 008.
   */
  async listByCustomer(db: pg.Pool | pg.ClientBase, customerId: string, limit: number, after?: { receivedAt: Date; orderId: string }): Promise<IntakeOrderRecord[]> {
    const { rows } = await db.query<OrderRow>({
      name: "intake.orders.list-by-customer",
      text: `SELECT ${columns} FROM orders
             WHERE canonical->'customer'->>'customerId' = $1 AND ($3::timestamptz IS NULL OR (received_at, order_id) < ($3, $4))
             ORDER BY received_at DESC, order_id DESC LIMIT $2`,
      values: [customerId, limit, after?.receivedAt ?? null, after?.orderId ?? ""],
    });
    return rows.map(recordOf);
  },

  /** The order, locked until the transaction ends (a correction is applied to what is there now). */
  async lock(tx: pg.ClientBase, orderId: string): Promise<IntakeOrderRecord | undefined> {
    const { rows } = await tx.query<OrderRow>({ name: "intake.orders.lock", text: `SELECT ${columns} FROM orders WHERE order_id = $1 FOR UPDATE`, values: [orderId] });
    return rows[0] && recordOf(rows[0]);
  },

  /** The order's content after an approved correction (the correction keeps what it replaced), in its sealed form. */
  async replaceCanonical(tx: pg.ClientBase, orderId: string, canonical: events.CanonicalOrder): Promise<void> {
    await tx.query({
      name: "intake.orders.replace-canonical",
      text: "UPDATE orders SET canonical = $2, sealed_contact = $3 WHERE order_id = $1",
      values: [orderId, storedContentOf(canonical), canonical.sealedContact.length > 0 ? canonical.sealedContact : null],
    });
  },

  async setStatus(tx: pg.ClientBase, orderId: string, status: IntakeOrderStatus): Promise<void> {
    await tx.query({ name: "intake.orders.set-status", text: "UPDATE orders SET status = $2 WHERE order_id = $1", values: [orderId, status] });
  },

  /** What each order asks for (codes, quantities, prices), in one statement; no personal data. */
  async linesOf(
    db: pg.Pool | pg.ClientBase,
    orderIds: readonly string[],
  ): Promise<Map<string, { sku: string; description: string; quantity: number; unitPriceMinor: number }[]>> {
    if (orderIds.length === 0) return new Map();
    const { rows } = await db.query<{ order_id: string; lines: events.OrderLine[] }>({
      name: "intake.orders.lines-of",
      text: "SELECT order_id, canonical->'lines' AS lines FROM orders WHERE order_id = ANY($1)",
      values: [orderIds],
    });
    return new Map(
      rows.map((r) => [r.order_id, r.lines.map((l) => ({ sku: l.sku, description: l.description, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor }))]),
    );
  },
};
