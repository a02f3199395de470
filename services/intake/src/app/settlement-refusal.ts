import type pg from "pg";
import { IllegalStateError, NotFoundError } from "@oms/errors";
import { orderRepository } from "../adapters/pg/order-repository.ts";

/**
 * Billing knows an order only once fulfillment asked for its settlement (at assignment),
 * and refuses an order nobody knows the same way; intake's own record tells an unknown
 * order (404 order.not-found) from one that is not that far yet (billing's answer).
 */
export async function settlementRefusalFor(pool: pg.Pool, orderId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof NotFoundError) && !(error instanceof IllegalStateError)) return error;
  if (await orderRepository.findById(pool, orderId)) return error;
  return new NotFoundError("order.not-found", `order ${orderId} not found`);
}

/**
 * Billing answers "no payment known" for an order it never took money on, and for one that
 * does not exist; intake's own record tells the two apart (404 order.not-found for the
 * latter). A refund billing refuses by its rules (more than was paid) stays a 409.
 */
export async function refundRefusalFor(pool: pg.Pool, orderId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof NotFoundError)) return error;
  if (await orderRepository.findById(pool, orderId)) return error;
  return new NotFoundError("order.not-found", `order ${orderId} not found`);
}
