import type pg from "pg";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { reviewRepository } from "../../adapters/pg/review-repository.ts";
import type { PermittedContext } from "../request-context.ts";
import { reviewViewOf, type ReviewView } from "../review-views.ts";

/** The manual-review queue, oldest first, of one store or of all, with what each order asks for. */
export async function listReviews(
  deps: { pool: pg.Pool },
  _context: PermittedContext<"list-reviews">,
  query: { storeId?: string | undefined; limit: number },
): Promise<{ reviews: ReviewView[] }> {
  const pending = await reviewRepository.listPending(deps.pool, query.storeId, query.limit);
  const lines = await orderRepository.linesOf(deps.pool, pending.map((r) => r.orderId));
  return { reviews: pending.map((review) => reviewViewOf(review, lines.get(review.orderId) ?? [])) };
}
