import type pg from "pg";
import type { Actor, fulfillmentApi } from "@oms/contracts";
import { ConflictError, IllegalStateError, NotFoundError, UnavailableError } from "@oms/errors";
import { orderRepository } from "../adapters/pg/order-repository.ts";
import { assertCallerReachesOrder } from "./own-order.ts";
import { orderAsSeenBy } from "./order-as-the-customer-sees.ts";
import { statusViewOf, type OrderStatusView } from "./order-views.ts";

/**
 * Fulfillment learns of an order from OrderReceived, a moment after intake accepted it.
 * In that moment fulfillment answers NOT_FOUND for an order that exists: this tells the
 * two cases apart (and an order held in review, which fulfillment does not get until a
 * reviewer approves it). Returns the error to raise for a command on the order.
 */
export async function commandRefusalFor(pool: pg.Pool, orderId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof NotFoundError) && !(error instanceof UnavailableError)) return error;
  const accepted = await orderRepository.findById(pool, orderId);
  // Orders held for (or refused in) manual review never reach fulfillment until approved: intake's record answers.
  if (accepted?.status === "in-review") return new IllegalStateError("order.in-review", `order ${orderId} waits for a reviewer; nothing can be done to it before the review`);
  if (accepted?.status === "rejected") return new IllegalStateError("order.rejected", `order ${orderId} was rejected in review`);
  if (error instanceof UnavailableError) return error;
  if (!accepted) return new NotFoundError("order.not-found", `order ${orderId} not found`);
  return new ConflictError("order.not-yet-handed-over", `order ${orderId} was received a moment ago and is still being set up; retry shortly`);
}

/**
 * Gives fulfillment a command on an order and answers with where the order stands after it, as
 * the caller may see it: a customer or a marketplace without staff ids (ADR 022, twenty-sixth-session addendum).
 */
export async function commandOnOrder(pool: pg.Pool, caller: Actor, orderId: string, send: () => Promise<fulfillmentApi.OrderView>): Promise<OrderStatusView> {
  try {
    return orderAsSeenBy(caller, statusViewOf(await send()));
  } catch (error) {
    throw await commandRefusalFor(pool, orderId, error);
  }
}

/**
 * A command a customer or a marketplace may give on an order by its id (confirm, cancel, accept
 * or refuse the delivery, answer a shortage): refused as unknown unless the order is theirs,
 * before fulfillment is asked — fulfillment's checks are by role, and its view names no customer.
 */
export async function commandOnCallersOrder(pool: pg.Pool, caller: Actor, orderId: string, send: () => Promise<fulfillmentApi.OrderView>): Promise<OrderStatusView> {
  await assertCallerReachesOrder(pool, caller, orderId);
  return commandOnOrder(pool, caller, orderId, send);
}
