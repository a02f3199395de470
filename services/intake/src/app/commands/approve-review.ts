import type { PermittedContext } from "../request-context.ts";
import { decideOnReview, type ReviewDeps } from "../review-decision.ts";
import type { ReviewView } from "../review-views.ts";

/** A reviewer approves a flagged order: it is handed to fulfillment (OrderReviewApproved and OrderReceived, in one transaction). */
export function approveReview(deps: ReviewDeps, context: PermittedContext<"approve-review">, reviewId: string, note: string): Promise<ReviewView> {
  return decideOnReview(deps, context, reviewId, { type: "approve", note });
}
