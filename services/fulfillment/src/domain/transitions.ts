import type { OrderStatus } from "./order.ts";

/**
 * The goods lifecycle of DOMAIN.md as a table: from each status, where it may go.
 * Anything not listed is refused with a clear error. Service orders (on-site) reuse it
 * with their own in-progress steps in a later issue.
 */
const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  received: ["awaiting-confirmation", "confirmed", "rejected", "cancelled"],
  "awaiting-confirmation": ["confirmed", "cancelled"],
  confirmed: ["credit-checked", "on-hold", "cancelled"],
  "credit-checked": ["reserved", "assigned", "on-hold", "cancelled"],
  // A split order's part may leave a store before the other parts have an assignee.
  reserved: ["assigned", "partially-shipped", "on-hold", "cancelled"],
  // A service order is delivered on site straight from assigned (its on-site steps are dispatch's).
  assigned: ["picked", "delivered", "partially-shipped", "on-hold", "cancelled"],
  // Picked goods are still in the store: a routed order's store may turn it down and it waits for routing again.
  picked: ["packed", "partially-shipped", "on-hold", "cancelled"],
  // A pick-up order is handed over at the counter once packed: delivered without shipping.
  packed: ["shipped", "delivered", "partially-shipped", "cancelled"],
  shipped: ["delivered", "partially-delivered"],
  "partially-shipped": ["shipped", "partially-delivered"],
  "partially-delivered": ["delivered"],
  delivered: ["accepted", "rework"],
  accepted: ["completed"],
  completed: ["settled"],
  settled: ["closed"],
  closed: [],
  "on-hold": ["credit-checked", "reserved", "assigned", "cancelled"],
  cancelled: [],
  rejected: [],
  rework: ["delivered", "cancelled"],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowed[from].includes(to);
}

export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return allowed[from];
}

/** Statuses after which the order can no longer be cancelled by the customer. */
export const shippedOrLater: ReadonlySet<OrderStatus> = new Set(["shipped", "partially-shipped", "partially-delivered", "delivered", "accepted", "completed", "settled", "closed", "rework"]);

export const terminalStatuses: ReadonlySet<OrderStatus> = new Set(["closed", "cancelled", "rejected"]);

/**
 * Where force majeure may hold an order (ADR 027): open work not yet on its way to the
 * customer — waiting for the customer's confirmation, credit, stock or an assignee, in the
 * store's hands (reserved to packed), or waiting for a redelivery after a refusal. Not a
 * shipment already with the carrier (the carrier reports its own delays as shipment
 * exceptions), nor a delivered or later order (the work is done). The hold is outside the
 * table above: an order resumes exactly where it was held, which was a legal place to be.
 */
export const forceMajeureHoldable: ReadonlySet<OrderStatus> = new Set([
  "awaiting-confirmation",
  "confirmed",
  "credit-checked",
  "reserved",
  "assigned",
  "picked",
  "packed",
  "on-hold",
  "rework",
]);
