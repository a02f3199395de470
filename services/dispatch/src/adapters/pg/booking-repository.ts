import type pg from "pg";

type Db = pg.Pool | pg.ClientBase;

export interface WindowBooking {
  bookingId: string;
  storeId: string;
  skill: string;
  windowStart: Date;
  windowEnd: Date;
  orderId: string;
  bookedBy: string;
  bookedAt: Date;
  /** Who will do the visit (the holder of the order's service task); undefined until someone is assigned. */
  assignedStaffId?: string;
  /** When the order's cancellation freed the window; undefined while the booking holds its place. */
  releasedAt?: Date;
}

interface Row {
  booking_id: string;
  store_id: string;
  skill: string;
  window_start: Date;
  window_end: Date;
  order_id: string;
  booked_by: string;
  booked_at: Date;
  assigned_staff_id: string | null;
  released_at: Date | null;
}

const fromRow = (r: Row): WindowBooking => ({
  bookingId: r.booking_id,
  storeId: r.store_id,
  skill: r.skill,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  orderId: r.order_id,
  bookedBy: r.booked_by,
  bookedAt: r.booked_at,
  ...(r.assigned_staff_id ? { assignedStaffId: r.assigned_staff_id } : {}),
  ...(r.released_at ? { releasedAt: r.released_at } : {}),
});

/** Bookings of service windows, in dispatch's schema. */
export const bookingRepository = {
  /**
   * A store's bookings of every skill per window start (ms), for windows starting in
   * [from, until): a person does one visit per window whatever it needs, so the room for
   * one skill depends on the others. The order that is being booked is left out: its
   * own booking is what it moves.
   */
  async bookedPerWindow(db: Db, storeId: string, from: Date, until: Date, exceptOrderId = ""): Promise<Map<number, Map<string, number>>> {
    const { rows } = await db.query<{ window_start: Date; skill: string; n: number }>(
      `SELECT window_start, skill, count(*)::int AS n FROM window_bookings
       WHERE store_id = $1 AND window_start >= $2 AND window_start < $3 AND order_id <> $4 AND released_at IS NULL
       GROUP BY window_start, skill`,
      [storeId, from, until, exceptOrderId],
    );
    const perWindow = new Map<number, Map<string, number>>();
    for (const r of rows) {
      const start = r.window_start.getTime();
      perWindow.set(start, (perWindow.get(start) ?? new Map<string, number>()).set(r.skill, r.n));
    }
    return perWindow;
  },

  /**
   * Serializes bookings into one window of a store, whatever their skill, until the
   * transaction ends: two bookings cannot both take the last person free in it.
   */
  async lockStoreWindow(tx: pg.ClientBase, storeId: string, windowStart: Date): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('dispatch.window-booking'), hashtext($1 || '/' || $2))", [storeId, windowStart.toISOString()]);
  },

  /**
   * Serialises a booking for these orders with their cancellation (sorted, so two
   * transactions never wait for each other crosswise): whichever commits first, the other
   * sees it.
   */
  async lockOrders(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('dispatch.order-booking'), hashtext(order_id)) FROM unnest($1::text[]) AS order_id ORDER BY order_id", [
      [...new Set(orderIds)].sort(),
    ]);
  },

  /** Remembers the orders as cancelled and frees their booked windows (the bookings stay, released). Under `lockOrders`. */
  async releaseCancelled(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
    await tx.query("INSERT INTO cancelled_orders (order_id, cancelled_at) SELECT unnest($1::text[]), now() ON CONFLICT (order_id) DO NOTHING", [orderIds]);
    await tx.query("UPDATE window_bookings SET released_at = now() WHERE order_id = ANY($1::text[]) AND released_at IS NULL", [orderIds]);
  },

  /** Whether dispatch has seen the order cancelled. Under `lockOrders`. */
  async isCancelled(tx: pg.ClientBase, orderId: string): Promise<boolean> {
    const { rowCount } = await tx.query("SELECT 1 FROM cancelled_orders WHERE order_id = $1", [orderId]);
    return (rowCount ?? 0) > 0;
  },

  async findByOrder(db: Db, orderId: string): Promise<WindowBooking | undefined> {
    const { rows } = await db.query<Row>("SELECT * FROM window_bookings WHERE order_id = $1", [orderId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Records who will do the order's booked visit (null: nobody yet); an order without a booking is left alone. */
  async assignTo(tx: pg.ClientBase, orderId: string, staffId: string | null): Promise<void> {
    await tx.query("UPDATE window_bookings SET assigned_staff_id = $2 WHERE order_id = $1", [orderId, staffId]);
  },

  /** Books, or moves the order's booking to another window. */
  async upsert(tx: pg.ClientBase, b: WindowBooking): Promise<WindowBooking> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO window_bookings (booking_id, store_id, skill, window_start, window_end, order_id, booked_by, booked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (order_id) DO UPDATE SET store_id = $2, skill = $3, window_start = $4, window_end = $5, booked_by = $7, booked_at = $8
       RETURNING *`,
      [b.bookingId, b.storeId, b.skill, b.windowStart, b.windowEnd, b.orderId, b.bookedBy, b.bookedAt],
    );
    return fromRow(rows[0]!);
  },
};
