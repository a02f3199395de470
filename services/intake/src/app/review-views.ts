import type { ReviewRecord } from "../adapters/pg/review-repository.ts";

/** A review as reviewers see it: why it was flagged, the money, and the decision once made. */
export interface ReviewView {
  reviewId: string;
  orderId: string;
  storeId: string;
  channel: string;
  status: "pending" | "approved" | "rejected";
  reasons: string[];
  grandTotalMinor: number;
  currency: string;
  requestedAt: string;
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  note?: string | undefined;
  reason?: string | undefined;
  /** In the queue: what was ordered (codes, quantities, prices), without the customer's personal data. */
  lines?: { sku: string; description: string; quantity: number; unitPriceMinor: number }[] | undefined;
}

export function reviewViewOf(review: ReviewRecord, lines?: ReviewView["lines"]): ReviewView {
  return {
    reviewId: review.reviewId,
    orderId: review.orderId,
    storeId: review.storeId,
    channel: review.channel,
    status: review.status,
    reasons: review.reasons,
    grandTotalMinor: review.grandTotalMinor,
    currency: review.currency,
    requestedAt: review.requestedAt.toISOString(),
    decidedAt: review.decidedAt?.toISOString(),
    decidedBy: review.decidedBy,
    note: review.status === "approved" ? review.decisionText : undefined,
    reason: review.status === "rejected" ? review.decisionText : undefined,
    lines,
  };
}
