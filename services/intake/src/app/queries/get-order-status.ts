import type pg from "pg";
import { NotFoundError, UnavailableError } from "@oms/errors";
import type { FulfillmentOrders } from "../../adapters/grpc-clients/fulfillment.ts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { reviewRepository } from "../../adapters/pg/review-repository.ts";
import { customerOwnsOrder } from "../../domain/callers-orders.ts";
import { assertCallerReachesOrder } from "../own-order.ts";
import { orderAsSeenBy } from "../order-as-the-customer-sees.ts";
import { intakeViewOf, statusViewOf, type OrderStatusView } from "../order-views.ts";
import type { RequestContext } from "../request-context.ts";

export interface GetOrderStatusDeps {
  pool: pg.Pool;
  fulfillment: FulfillmentOrders;
}

/**
 * Where an order stands: fulfillment owns the answer. An order intake accepted that
 * fulfillment has not taken over yet is "received", with intake's one step; an order in
 * manual review, or rejected by a reviewer, fulfillment never gets: intake's record tells
 * it, even while fulfillment cannot answer. A customer reads their own order and a marketplace
 * the orders it sent; anyone else's is answered as unknown (ADR 022, twenty-fifth-session addendum).
 * Both read it without staff ids (ADR 022, twenty-sixth-session addendum: orderAsSeenBy).
 */
export async function getOrderStatus(deps: GetOrderStatusDeps, context: RequestContext, orderId: string): Promise<OrderStatusView> {
  const reached = await assertCallerReachesOrder(deps.pool, context.caller, orderId);
  try {
    const view = await deps.fulfillment.getOrder(orderId, context.correlationId);
    const status = statusViewOf(view);
    if (status.pickup && context.caller.kind === "customer") {
      // Fulfillment's view carries no customer: intake's record of the order, read above, names them (a guest order's any holder of its id).
      if (customerOwnsOrder(context.caller, reached?.canonical.customer?.customerId ?? "")) status.pickup.code = view.pickupCode;
    }
    return orderAsSeenBy(context.caller, status);
  } catch (error) {
    if (!(error instanceof NotFoundError) && !(error instanceof UnavailableError)) throw error;
    const accepted = await orderRepository.findById(deps.pool, orderId);
    if (accepted && accepted.status !== "received") return orderAsSeenBy(context.caller, intakeViewOf(accepted, await reviewRepository.findByOrderId(deps.pool, orderId)));
    if (error instanceof UnavailableError) throw error;
    if (!accepted) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
    return orderAsSeenBy(context.caller, intakeViewOf(accepted, accepted.reviewId ? await reviewRepository.findByOrderId(deps.pool, orderId) : undefined));
  }
}
