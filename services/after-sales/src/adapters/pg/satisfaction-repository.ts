import type pg from "pg";
import type { Satisfaction, SatisfactionChannel } from "../../domain/satisfaction.ts";

interface Row {
  order_id: string;
  store_id: string;
  score: number;
  comment: string;
  channel: SatisfactionChannel;
  recorded_by: string;
  recorded_at: Date;
}

const fromRow = (r: Row): Satisfaction => ({
  orderId: r.order_id,
  storeId: r.store_id,
  score: r.score,
  comment: r.comment,
  channel: r.channel,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

/** Customers' satisfaction with their orders (migration 005), one row an order. */
export const satisfactionRepository = {
  async find(db: pg.Pool | pg.ClientBase, orderId: string): Promise<Satisfaction | undefined> {
    const { rows } = await db.query<Row>("SELECT * FROM satisfaction WHERE order_id = $1", [orderId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  async insert(tx: pg.ClientBase, s: Satisfaction): Promise<void> {
    await tx.query(
      `INSERT INTO satisfaction (order_id, store_id, score, comment, channel, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.orderId, s.storeId, s.score, s.comment, s.channel, s.recordedBy, s.recordedAt],
    );
  },

  /** A store's responses recorded in [from, until): how many, and their mean score (0 when none). */
  async figuresOf(db: pg.Pool | pg.ClientBase, storeId: string, from: Date, until: Date): Promise<{ satisfactionResponses: number; meanSatisfaction: number }> {
    const { rows } = await db.query<{ n: number; mean: number | null }>(
      "SELECT count(*)::int AS n, avg(score)::float8 AS mean FROM satisfaction WHERE store_id = $1 AND recorded_at >= $2 AND recorded_at < $3",
      [storeId, from, until],
    );
    return { satisfactionResponses: rows[0]!.n, meanSatisfaction: rows[0]!.mean ?? 0 };
  },
};
