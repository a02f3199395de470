import type pg from "pg";

export interface TimelineEntry {
  orderId: string;
  at: Date;
  service: string;
  what: string;
  detail: string;
  actor: string;
  eventId: string;
}

/** The entries as the seven column arrays an unnest of (order_id, at, service, what, detail, actor, event_id) takes. */
export function timelineColumns(entries: readonly TimelineEntry[]): unknown[][] {
  return [
    entries.map((e) => e.orderId),
    entries.map((e) => e.at),
    entries.map((e) => e.service),
    entries.map((e) => e.what),
    entries.map((e) => e.detail),
    entries.map((e) => e.actor),
    entries.map((e) => e.eventId),
  ];
}

export const timelineRepository = {
  /** Appends entries in one statement; an entry for an event already recorded is skipped. */
  async append(tx: pg.ClientBase, entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO timeline (order_id, at, service, what, detail, actor, event_id)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (event_id) DO NOTHING`,
      timelineColumns(entries),
    );
  },

  /** The timelines of several orders in one statement, each in the order it happened. */
  async ofOrders(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
    const { rows } = await db.query<{ order_id: string; at: Date; service: string; what: string; detail: string; actor: string; event_id: string }>(
      "SELECT order_id, at, service, what, detail, actor, event_id FROM timeline WHERE order_id = ANY($1::text[]) ORDER BY at, id",
      [[...new Set(orderIds)]],
    );
    const timelines = new Map<string, TimelineEntry[]>();
    for (const r of rows) {
      const entry = { orderId: r.order_id, at: r.at, service: r.service, what: r.what, detail: r.detail, actor: r.actor, eventId: r.event_id };
      const timeline = timelines.get(r.order_id);
      if (timeline) timeline.push(entry);
      else timelines.set(r.order_id, [entry]);
    }
    return timelines;
  },
};
