import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ForbiddenError, NotFoundError } from "@oms/errors";
import { orderRepository, type IntakeOrderRecord } from "../adapters/pg/order-repository.ts";
import { customerOwnsOrder } from "../domain/permissions.ts";

/**
 * The order as intake took it, when it is the calling customer's: billing's records name no
 * customer, intake's record of the order does. An order intake does not know is no customer's.
 */
export async function customersOwnOrder(pool: pg.Pool, caller: Actor, orderId: string, step: string): Promise<IntakeOrderRecord> {
  const accepted = await orderRepository.findById(pool, orderId);
  if (!accepted) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  if (!customerOwnsOrder(caller, accepted.canonical.customer?.customerId ?? "")) throw new ForbiddenError("caller.not-permitted", `a customer may ${step} of their own orders only`);
  return accepted;
}
