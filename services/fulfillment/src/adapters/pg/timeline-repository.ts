import type pg from "pg";
import type { TimelineFacts } from "../../domain/timeline-kinds.ts";

export interface TimelineEntry {
  orderId: string;
  at: Date;
  service: string;
  what: string;
  /** Staff's wording of the step. */
  detail: string;
  /** One of domain/timeline-kinds.ts's kinds; a row recorded before kinds that could not be told is "unknown". */
  kind: string;
  /** The facts a customer's wording is built from; empty for a step customers do not see. */
  facts: TimelineFacts;
  actor: string;
  eventId: string;
}

/** The columns a timeline insert fills, in the order `timelineRecords` yields them. */
export const timelineColumns = "order_id, at, service, what, detail, actor, event_id, kind, facts";

/**
 * The entries as one JSON document, read back by `timelineRecords`: one string made
 * natively, where seven column arrays were array literals the driver built and escaped
 * entry by entry (a detail is free text, full of quotes).
 */
export function timelineDocument(entries: readonly TimelineEntry[]): string {
  return JSON.stringify(entries.map((e) => ({ order_id: e.orderId, at: e.at, service: e.service, what: e.what, detail: e.detail, actor: e.actor, event_id: e.eventId, kind: e.kind, facts: e.facts })));
}

/** The rows of a `timelineDocument` passed as `parameter`, in its order. */
export function timelineRecords(parameter: string): string {
  return `jsonb_to_recordset(${parameter}::jsonb) AS t(order_id text, at timestamptz, service text, what text, detail text, actor text, event_id text, kind text, facts jsonb)`;
}

export const timelineRepository = {
  /** Appends entries in one statement; an entry for an event already recorded is skipped. */
  async append(tx: pg.ClientBase, entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO timeline (${timelineColumns})
       SELECT * FROM ${timelineRecords("$1")}
       ON CONFLICT (event_id) DO NOTHING`,
      [timelineDocument(entries)],
    );
  },

  /** The timelines of several orders in one statement, each in the order it happened. */
  async ofOrders(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
    const { rows } = await db.query<{ order_id: string; at: Date; service: string; what: string; detail: string; actor: string; event_id: string; kind: string; facts: TimelineFacts }>(
      "SELECT order_id, at, service, what, detail, actor, event_id, kind, facts FROM timeline WHERE order_id = ANY($1::text[]) ORDER BY at, id",
      [[...new Set(orderIds)]],
    );
    const timelines = new Map<string, TimelineEntry[]>();
    for (const r of rows) {
      const entry = { orderId: r.order_id, at: r.at, service: r.service, what: r.what, detail: r.detail, kind: r.kind, facts: r.facts, actor: r.actor, eventId: r.event_id };
      const timeline = timelines.get(r.order_id);
      if (timeline) timeline.push(entry);
      else timelines.set(r.order_id, [entry]);
    }
    return timelines;
  },
};
