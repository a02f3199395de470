import type pg from "pg";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { reviewRepository } from "../../adapters/pg/review-repository.ts";
import { queuePage, queuePageAsked } from "../queue-pages.ts";
import type { PermittedContext } from "../request-context.ts";
import { reviewViewOf, type ReviewView } from "../review-views.ts";

/**
 * The manual-review queue, oldest first, of one store or of all, with what each order asks for,
 * a page at a time; `nextPageToken` only while another page follows.
 */
export async function listReviews(
  deps: { pool: pg.Pool },
  _context: PermittedContext<"list-reviews">,
  query: { storeId?: string | undefined; pageSize: number; pageToken: string },
): Promise<{ reviews: ReviewView[]; nextPageToken?: string }> {
  const page = queuePageAsked(query);
  const read = await reviewRepository.listPending(deps.pool, query.storeId, { size: page.size + 1, after: page.after });
  const { items: pending, nextPageToken } = queuePage(read, page.size);
  const lines = await orderRepository.linesOf(deps.pool, pending.map((r) => r.orderId));
  return { reviews: pending.map((review) => reviewViewOf(review, lines.get(review.orderId) ?? [])), ...(nextPageToken ? { nextPageToken } : {}) };
}
