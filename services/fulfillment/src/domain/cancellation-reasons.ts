import type { Actor, Order } from "./order.ts";

/**
 * Why an order was cancelled, from a closed list: what its customer and its marketplace are told
 * (ADR 022, twenty-seventh-session addendum). The words a member of staff typed with it stay the
 * store's: on the staff's timeline and in the dossier, never on the customer's.
 */
export const cancellationReasonCodes = [
  // Picked by whoever cancels.
  "customer-asked",
  "out-of-stock",
  "cannot-deliver",
  "payment-not-received",
  "duplicate-order",
  "store-decision",
  // The rules' own: a refused credit, an order never confirmed or never collected, force majeure.
  "credit-refused",
  "not-confirmed",
  "not-collected",
  "force-majeure",
] as const;

export type CancellationReasonCode = (typeof cancellationReasonCodes)[number];

/** The codes a caller may name on a cancellation; the others only a rule gives. */
export const pickableCancellationReasons: readonly CancellationReasonCode[] = ["customer-asked", "out-of-stock", "cannot-deliver", "payment-not-received", "duplicate-order", "store-decision"];

export function isPickableCancellationReason(code: string): code is CancellationReasonCode {
  return (pickableCancellationReasons as readonly string[]).includes(code);
}

/**
 * The codes a canceller may name. Staff may name any the list has; a customer and their marketplace
 * only reasons of the customer's side — their own cancellation told to them as "the store decided"
 * or "out of stock" would misstate who cancelled and why (and what a marketplace reports on) — and
 * "out of stock" when the order is indeed waiting for stock (the customer's answer to a shortage).
 */
export function cancellationReasonsOpenTo(actor: Actor, order: Order): readonly CancellationReasonCode[] {
  if (actor.kind !== "customer" && actor.kind !== "platform") return pickableCancellationReasons;
  const theirs: CancellationReasonCode[] = actor.kind === "customer" ? ["customer-asked", "duplicate-order"] : ["customer-asked", "duplicate-order", "payment-not-received"];
  return waitsForStock(order) ? [...theirs, "out-of-stock"] : theirs;
}

const waitsForStock = (order: Order) =>
  (order.status === "on-hold" && order.holdReason === "awaiting-stock") || (order.parts?.some((part) => part.stage === "awaiting-stock") ?? false);

/**
 * A caller that names no code (every caller before the list existed): the customer and their
 * marketplace cancel because the customer asked; staff for a reason of the store's, which the
 * customer is told as such rather than in the staff member's words.
 */
export function defaultCancellationReason(actor: Actor): CancellationReasonCode {
  return actor.kind === "customer" || actor.kind === "platform" ? "customer-asked" : "store-decision";
}
