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
});

/** Bookings of service windows, in dispatch's schema. */
export const bookingRepository = {
  /** Bookings per window start (ms) of a store and skill for windows starting in [from, until). */
  async bookedPerWindow(db: Db, storeId: string, skill: string, from: Date, until: Date): Promise<Map<number, number>> {
    const { rows } = await db.query<{ window_start: Date; n: number }>(
      `SELECT window_start, count(*)::int AS n FROM window_bookings
       WHERE store_id = $1 AND skill = $2 AND window_start >= $3 AND window_start < $4 GROUP BY window_start`,
      [storeId, skill, from, until],
    );
    return new Map(rows.map((r) => [r.window_start.getTime(), r.n]));
  },

  /** Serializes bookings of one store and skill until the transaction ends, so two cannot take a window's last place. */
  async lockStoreSkill(tx: pg.ClientBase, storeId: string, skill: string): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('dispatch.window-booking'), hashtext($1 || '/' || $2))", [storeId, skill]);
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
