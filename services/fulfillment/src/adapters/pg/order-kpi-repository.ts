import type pg from "pg";

/** A store's order-handling figures over the orders created in a period, as the database counts them. */
export interface OrderKpiFigures {
  orders: number;
  confirmed: number;
  meanMinutesToConfirm: number;
  corrected: number;
  correctionRate: number;
  shipped: number;
  meanHoursToShip: number;
  deliveredWithRequestedTime: number;
  deliveredOnTime: number;
  onTimeDeliveryRate: number;
  cancelled: number;
}

interface Row {
  orders: number;
  confirmed: number;
  minutes_to_confirm: number | null;
  corrected: number;
  shipped: number;
  hours_to_ship: number | null;
  with_requested_time: number;
  on_time: number;
  cancelled: number;
}

/**
 * Counts, in one statement, a store's orders created in [from, until) and the steps on
 * their timelines: when each was received, confirmed, shipped and delivered (the first
 * time each status was reached: a split order is delivered when its last part is, not its
 * first), and whether a correction was applied. A delivery is on time when the order was
 * delivered by its requested time (orders without one are left out of that rate). Orders
 * are counted by the store they belong to, not by the stores that served a split part.
 */
export async function orderKpiFiguresOf(db: pg.Pool | pg.ClientBase, storeId: string, from: Date, until: Date): Promise<OrderKpiFigures> {
  const { rows } = await db.query<Row>(
    `WITH period AS (
       SELECT order_id, status, nullif(body->>'requestedUntil', '')::timestamptz AS requested_until
       FROM orders WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
     ), steps AS (
       SELECT p.order_id, p.status, p.requested_until,
              min(t.at) FILTER (WHERE t.what = 'order.received') AS received,
              min(t.at) FILTER (WHERE t.what = 'order.confirmed') AS confirmed,
              min(t.at) FILTER (WHERE t.what = 'order.shipped') AS shipped,
              min(t.at) FILTER (WHERE t.what = 'order.delivered') AS delivered,
              bool_or(t.what = 'order.corrected') AS corrected
       FROM period p LEFT JOIN timeline t USING (order_id)
       GROUP BY p.order_id, p.status, p.requested_until
     )
     SELECT count(*)::int AS orders,
            count(confirmed)::int AS confirmed,
            (avg(extract(epoch FROM confirmed - received)) / 60)::float8 AS minutes_to_confirm,
            count(*) FILTER (WHERE corrected)::int AS corrected,
            count(shipped)::int AS shipped,
            (avg(extract(epoch FROM shipped - received)) / 3600)::float8 AS hours_to_ship,
            count(*) FILTER (WHERE delivered IS NOT NULL AND requested_until IS NOT NULL)::int AS with_requested_time,
            count(*) FILTER (WHERE delivered <= requested_until)::int AS on_time,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
     FROM steps`,
    [storeId, from, until],
  );
  const r = rows[0]!;
  return {
    orders: r.orders,
    confirmed: r.confirmed,
    meanMinutesToConfirm: r.minutes_to_confirm ?? 0,
    corrected: r.corrected,
    correctionRate: r.orders === 0 ? 0 : r.corrected / r.orders,
    shipped: r.shipped,
    meanHoursToShip: r.hours_to_ship ?? 0,
    deliveredWithRequestedTime: r.with_requested_time,
    deliveredOnTime: r.on_time,
    onTimeDeliveryRate: r.with_requested_time === 0 ? 0 : r.on_time / r.with_requested_time,
    cancelled: r.cancelled,
  };
}
