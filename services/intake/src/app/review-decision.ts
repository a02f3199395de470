import type pg from "pg";
import { EventTypes, newEvent, type OrderEvent } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import { orderRepository } from "../adapters/pg/order-repository.ts";
import type { PlatformDirectory } from "../adapters/pg/platform-repository.ts";
import { reviewRepository } from "../adapters/pg/review-repository.ts";
import { rejectedOrderWording } from "../domain/customer-step-wording.ts";
import { decideReview, type ReviewDecision } from "../domain/review.ts";
import { queueCustomerNotices } from "./commands/queue-status-pushes.ts";
import { actorLabel, eventOriginOf, type RequestContext } from "./request-context.ts";
import { reviewViewOf, type ReviewView } from "./review-views.ts";

export interface ReviewDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  /** Where a marketplace's orders are told back: a rejected one never reaches fulfillment, whose events tell the rest. */
  platforms: PlatformDirectory;
  now?: () => Date;
}

/**
 * A reviewer's decision, in one transaction with its events: the review row locked, the
 * decision taken by the domain, the order's status moved, and the events written to the
 * outbox. An approval writes OrderReviewApproved and the order's OrderReceived together,
 * so fulfillment starts exactly when (and only if) the approval commits.
 */
export async function decideOnReview(deps: ReviewDeps, context: RequestContext, reviewId: string, decision: ReviewDecision): Promise<ReviewView> {
  const now = deps.now?.() ?? new Date();
  const view = await withTransaction(deps.pool, async (tx) => {
    const review = await reviewRepository.lock(tx, reviewId);
    if (!review) throw new NotFoundError("review.not-found", `review ${reviewId} not found`);
    const outcome = decideReview(review.status, decision);
    if (outcome.type === "unchanged") return reviewViewOf(review);
    const order = await orderRepository.findById(tx, review.orderId);
    if (!order) throw new Error(`review ${reviewId} names order ${review.orderId}, which intake does not have`);
    const origin = eventOriginOf(order, context, now);
    const by = actorLabel(context.caller);
    let events: OrderEvent[];
    switch (outcome.type) {
      case "approved":
        await orderRepository.setStatus(tx, order.orderId, "received");
        events = [
          newEvent(EventTypes.OrderReviewApproved, { reviewId, note: outcome.note }, origin),
          newEvent(EventTypes.OrderReceived, { order: order.canonical, reviewId }, origin),
        ];
        break;
      case "rejected": {
        await orderRepository.setStatus(tx, order.orderId, "rejected");
        const rejected = newEvent(EventTypes.OrderReviewRejected, { reviewId, reason: outcome.reason }, origin);
        events = [rejected];
        // The marketplace's customer is told the outcome; the reviewer's words stay the store's (ADR 022, twenty-seventh-session addendum, second reading).
        const notice = { eventId: rejected.eventId, orderId: order.orderId, status: "rejected", reason: rejectedOrderWording, reasonCode: "", carrier: "", trackingNumber: "", occurredAt: now };
        await queueCustomerNotices(tx, deps.platforms, [notice]);
        break;
      }
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown review outcome ${JSON.stringify(unknown)}`);
      }
    }
    const text = outcome.type === "approved" ? outcome.note : outcome.reason;
    const decided = await reviewRepository.decide(tx, reviewId, { status: outcome.type, by, text, at: now });
    await deps.outbox.append(tx, events);
    return reviewViewOf(decided);
  });
  context.logger.info({ orderId: view.orderId, reviewId, status: view.status }, "review decided");
  return view;
}
