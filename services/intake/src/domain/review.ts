import type { Actor } from "@oms/contracts";
import { IllegalStateError, ValidationError } from "@oms/errors";
import { digestKeyOf, emailForMatchingOf, phoneDigitsOf, type ContactDigestOf } from "./customer-flag.ts";
import type { CheckedOrder } from "./pre-check.ts";
import type { SubmittedCustomer } from "./order-submission.ts";

/**
 * Manual review (DOMAIN.md, Intake): important orders (a large amount, a VIP customer,
 * a flagged customer) and doubtful ones (an unusual quantity) wait for a reviewer instead
 * of going to fulfillment. The reviewer approves (the order is handed over) or rejects it (the
 * order ends rejected with the reason).
 */

/** A line with more than this quantity is doubtful, unless the store says otherwise. */
export const defaultReviewLineQuantityAbove = 50;

/** Why an order needs a reviewer, one reason per finding; none: it goes straight on. */
export function reviewReasonsOf(checked: CheckedOrder, customerFlagged: boolean): string[] {
  const reasons: string[] = [];
  const { store, totals } = checked;
  if (totals.grandTotalMinor >= store.reviewThresholdMinor) {
    reasons.push(`large-amount: grand total ${totals.grandTotalMinor} reaches the store's review threshold ${store.reviewThresholdMinor}`);
  }
  if (checked.submission.customer.vip === true) reasons.push("vip-customer: the customer is a VIP");
  if (customerFlagged) reasons.push("flagged-customer: the customer is flagged for review");
  checked.lines.forEach((line, index) => {
    if (line.quantity > store.reviewLineQuantityAbove) {
      reasons.push(`unusual-quantity: lines[${index}] orders ${line.quantity}, above the store's limit of ${store.reviewLineQuantityAbove}`);
    }
  });
  return reasons;
}

/**
 * Whether a customer is a VIP is the chain's judgement (its staff, or a marketplace that
 * knows its own buyers), not the customer's: it raises the order's priority and sends it
 * to a reviewer, so a customer submitting for themselves cannot claim it.
 */
export function assertMayMarkVip(caller: Actor, customer: SubmittedCustomer): void {
  if (customer.vip !== true || caller.kind === "staff" || caller.kind === "platform") return;
  throw new ValidationError([{ field: "customer.vip", message: "only the chain's staff or a marketplace marks a customer VIP" }]);
}

/**
 * The keys a flagged customer may be recorded under: their customer id, and the keyed digests
 * of their phone digits and e-mail (`digestOf` holds intake's matching key), so an order is
 * matched against flags without the table holding a contact. One digest per contact per order.
 */
export function customerKeysOf(customer: SubmittedCustomer, digestOf: ContactDigestOf): string[] {
  const keys: string[] = [];
  if (customer.customerId) keys.push(`id:${customer.customerId}`);
  const digits = phoneDigitsOf(customer.phone ?? "");
  if (digits) keys.push(digestKeyOf("phone", digits, digestOf));
  const email = emailForMatchingOf(customer.email ?? "");
  if (email) keys.push(digestKeyOf("email", email, digestOf));
  return keys;
}

export type ReviewStatus = "pending" | "approved" | "rejected";

export type ReviewDecision = { type: "approve"; note: string } | { type: "reject"; reason: string };

export type ReviewOutcome =
  | { type: "approved"; note: string }
  | { type: "rejected"; reason: string }
  /** The same decision again: nothing changes, the answer is the review as it stands. */
  | { type: "unchanged" };

/** A reviewer's decision on a review in `status`: pending reviews are decided once; the other decision afterwards is refused. */
export function decideReview(status: ReviewStatus, decision: ReviewDecision): ReviewOutcome {
  switch (decision.type) {
    case "approve":
      if (status === "pending") return { type: "approved", note: decision.note };
      if (status === "approved") return { type: "unchanged" };
      throw new IllegalStateError("review.already-rejected", "this review was rejected; a rejected order cannot be approved");
    case "reject":
      if (status === "pending") return { type: "rejected", reason: decision.reason };
      if (status === "rejected") return { type: "unchanged" };
      throw new IllegalStateError("review.already-approved", "this review was approved and the order handed over; cancel the order instead");
    default: {
      const unknown: never = decision;
      throw new Error(`unknown review decision ${JSON.stringify(unknown)}`);
    }
  }
}
