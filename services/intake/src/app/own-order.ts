import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { orderRepository, type IntakeOrderRecord } from "../adapters/pg/order-repository.ts";
import { callerReachesOrder, customerOwnsOrder } from "../domain/callers-orders.ts";

/** The refusal of an order the caller may not reach: word for word as for one nobody placed, so a guessed id learns nothing. */
const unknownOrder = (orderId: string) => new NotFoundError("order.not-found", `order ${orderId} not found`);

/**
 * The order as intake took it, when it is the calling customer's: billing's records name no
 * customer, intake's record of the order does. An order intake does not know is no customer's;
 * another's is answered as unknown too, word for word, so an id tells nothing of whether it
 * exists (ADR 022, twenty-fifth-session addendum; as ADR 017's for cases).
 */
export async function customersOwnOrder(pool: pg.Pool | pg.ClientBase, caller: Actor, orderId: string): Promise<IntakeOrderRecord> {
  const accepted = await orderRepository.findById(pool, orderId);
  if (!accepted || !customerOwnsOrder(caller, accepted.canonical.customer?.customerId ?? "")) throw unknownOrder(orderId);
  return accepted;
}

/**
 * Refuses a customer or a marketplace an order that is not theirs (callerReachesOrder), as
 * unknown, before anyone is asked to act on it; staff pass without a lookup (the role table and
 * the store scope hold them). Intake's record names the customer and the channel: fulfillment's
 * answers carry neither. Returns the record it read (none for staff), for the caller to reuse.
 */
export async function assertCallerReachesOrder(pool: pg.Pool, caller: Actor, orderId: string): Promise<IntakeOrderRecord | undefined> {
  if (caller.kind === "staff") return undefined;
  const accepted = await orderRepository.findById(pool, orderId);
  if (!accepted || !callerReachesOrder(caller, { customerId: accepted.canonical.customer?.customerId ?? "", channel: accepted.channel })) throw unknownOrder(orderId);
  return accepted;
}
