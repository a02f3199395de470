import type pg from "pg";
import type { Satisfaction, SatisfactionChannel } from "../../domain/satisfaction.ts";

/** An answer as it is stored from now on: the comment sealed (app/sealed-words.ts), never in the clear. */
export type SatisfactionToStore = Satisfaction & { comment: { sealed: Uint8Array } };

interface Row {
  order_id: string;
  store_id: string;
  score: number;
  /** Empty once sealed; an old row not yet upgraded holds the comment here (migration 012). */
  comment: string;
  comment_sealed: Buffer | null;
  channel: SatisfactionChannel;
  recorded_by: string;
  recorded_at: Date;
}

const fromRow = (r: Row): Satisfaction => ({
  orderId: r.order_id,
  storeId: r.store_id,
  score: r.score,
  comment: r.comment_sealed ? { sealed: r.comment_sealed } : { clear: r.comment },
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

  async insert(tx: pg.ClientBase, s: SatisfactionToStore): Promise<void> {
    await tx.query(
      `INSERT INTO satisfaction (order_id, store_id, score, comment, comment_sealed, channel, recorded_by, recorded_at) VALUES ($1, $2, $3, '', $4, $5, $6, $7)`,
      [s.orderId, s.storeId, s.score, Buffer.from(s.comment.sealed), s.channel, s.recordedBy, s.recordedAt],
    );
  },

  /** Answers whose comment is still in the clear (stored before migration 012), locked; those other instances hold are skipped. */
  async lockClearComments(tx: pg.ClientBase, limit: number): Promise<{ orderId: string; comment: string }[]> {
    const { rows } = await tx.query<{ order_id: string; comment: string }>(
      "SELECT order_id, comment FROM satisfaction WHERE comment_sealed IS NULL ORDER BY order_id LIMIT $1 FOR UPDATE SKIP LOCKED",
      [limit],
    );
    return rows.map((row) => ({ orderId: row.order_id, comment: row.comment }));
  },

  /** A locked old answer's comment sealed in place, its clear column emptied. */
  async sealComment(tx: pg.ClientBase, orderId: string, sealed: Uint8Array): Promise<void> {
    const { rowCount } = await tx.query("UPDATE satisfaction SET comment_sealed = $2, comment = '' WHERE order_id = $1", [orderId, Buffer.from(sealed)]);
    if (rowCount !== 1) throw new Error(`the satisfaction of order ${orderId} vanished before its comment was sealed`);
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
