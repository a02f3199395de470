import type pg from "pg";
import type { StatementParameters } from "@oms/postgres";
import type { QueuePosition } from "../../app/queue-pages.ts";
import type { ReviewStatus } from "../../domain/review.ts";
import { queueKeyset } from "./queue-keyset.ts";

/** A manual review of one order. No personal data: the order's content stays in `orders`. */
export interface ReviewRecord {
  reviewId: string;
  orderId: string;
  storeId: string;
  channel: string;
  reasons: string[];
  grandTotalMinor: number;
  currency: string;
  status: ReviewStatus;
  requestedAt: Date;
  decidedAt: Date | undefined;
  /** "kind:id" of the reviewer. */
  decidedBy: string | undefined;
  /** The approval's note or the rejection's reason. */
  decisionText: string | undefined;
}

interface ReviewRow {
  review_id: string;
  order_id: string;
  store_id: string;
  channel: string;
  reasons: string[];
  grand_total_minor: string | number;
  currency: string;
  status: ReviewStatus;
  requested_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  decision_text: string | null;
}

const columns = "review_id, order_id, store_id, channel, reasons, grand_total_minor, currency, status, requested_at, decided_at, decided_by, decision_text";

const recordOf = (r: ReviewRow): ReviewRecord => ({
  reviewId: r.review_id,
  orderId: r.order_id,
  storeId: r.store_id,
  channel: r.channel,
  reasons: r.reasons,
  grandTotalMinor: Number(r.grand_total_minor),
  currency: r.currency,
  status: r.status,
  requestedAt: r.requested_at,
  decidedAt: r.decided_at ?? undefined,
  decidedBy: r.decided_by ?? undefined,
  decisionText: r.decision_text ?? undefined,
});

/** The manual-review queue in intake's schema; the insert takes a batch's reviews in one statement. */
export const reviewRepository = {
  /**
   * The insert of a batch's reviews, as a step of a larger statement
   * (adapters/pg/acceptance-store.ts): only the reviews of orders among the `order_id`s
   * returned by `keysFrom`, an earlier step, are written.
   */
  insertStep(reviews: readonly ReviewRecord[], parameters: StatementParameters, keysFrom: string): string {
    const unnested = [
      parameters.addArray(reviews.map((r) => r.reviewId), "text"),
      parameters.addArray(reviews.map((r) => r.orderId), "text"),
      parameters.addArray(reviews.map((r) => r.storeId), "text"),
      parameters.addArray(reviews.map((r) => r.channel), "text"),
      parameters.addArray(reviews.map((r) => JSON.stringify(r.reasons)), "jsonb"),
      parameters.addArray(reviews.map((r) => r.grandTotalMinor), "bigint"),
      parameters.addArray(reviews.map((r) => r.currency), "text"),
      parameters.addArray(reviews.map((r) => r.requestedAt.toISOString()), "timestamptz"),
    ];
    return `INSERT INTO reviews (review_id, order_id, store_id, channel, reasons, grand_total_minor, currency, requested_at)
             SELECT r.review_id, r.order_id, r.store_id, r.channel, ARRAY(SELECT jsonb_array_elements_text(r.reasons)),
                    r.grand_total_minor, r.currency, r.requested_at
             FROM unnest(${unnested.join(", ")})
                  AS r(review_id, order_id, store_id, channel, reasons, grand_total_minor, currency, requested_at)
             WHERE r.order_id IN (SELECT order_id FROM ${keysFrom})`;
  },

  /** The review, locked until the transaction ends, so two reviewers cannot both decide it. */
  async lock(tx: pg.ClientBase, reviewId: string): Promise<ReviewRecord | undefined> {
    const { rows } = await tx.query<ReviewRow>({ name: "intake.reviews.lock", text: `SELECT ${columns} FROM reviews WHERE review_id = $1 FOR UPDATE`, values: [reviewId] });
    return rows[0] && recordOf(rows[0]);
  },

  async decide(tx: pg.ClientBase, reviewId: string, decision: { status: ReviewStatus; by: string; text: string; at: Date }): Promise<ReviewRecord> {
    const { rows } = await tx.query<ReviewRow>({
      name: "intake.reviews.decide",
      text: `UPDATE reviews SET status = $2, decided_by = $3, decision_text = $4, decided_at = $5 WHERE review_id = $1 RETURNING ${columns}`,
      values: [reviewId, decision.status, decision.by, decision.text, decision.at.toISOString()],
    });
    return recordOf(rows[0]!);
  },

  async findByOrderId(db: pg.Pool | pg.ClientBase, orderId: string): Promise<ReviewRecord | undefined> {
    const { rows } = await db.query<ReviewRow>({ name: "intake.reviews.by-order", text: `SELECT ${columns} FROM reviews WHERE order_id = $1`, values: [orderId] });
    return rows[0] && recordOf(rows[0]);
  },

  /** Pending reviews, oldest first (the queue), of one store or of all: `page.size` after `page.after`, each with its position. */
  async listPending(db: pg.Pool, storeId: string | undefined, page: { size: number; after: QueuePosition | undefined }): Promise<Array<ReviewRecord & { position: QueuePosition }>> {
    const { rows } = await db.query<ReviewRow & { position_micros: string; position_id: string }>({
      name: "intake.reviews.pending-page",
      text: `SELECT ${columns}, ${queueKeyset.columns("requested_at", "review_id")} FROM reviews
             WHERE status = 'pending' AND ($1::text IS NULL OR store_id = $1) AND ${queueKeyset.after("requested_at", "review_id", 3)}
             ${queueKeyset.orderBy("requested_at", "review_id")} LIMIT $2`,
      values: [storeId ?? null, page.size, ...queueKeyset.values(page.after)],
    });
    return rows.map((row) => ({ ...recordOf(row), position: queueKeyset.positionOf(row) }));
  },
};
