import type { PermittedContext } from "../request-context.ts";
import { decideOnReview, type ReviewDeps } from "../review-decision.ts";
import type { ReviewView } from "../review-views.ts";

/** A reviewer rejects a flagged order: it ends rejected with the reason (OrderReviewRejected); fulfillment never sees it. */
export function rejectReview(deps: ReviewDeps, context: PermittedContext<"reject-review">, reviewId: string, reason: string): Promise<ReviewView> {
  return decideOnReview(deps, context, reviewId, { type: "reject", reason });
}
