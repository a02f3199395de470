import type { TrackedOrder } from "./order-tracker.ts";

/**
 * Which customers of a run behave otherwise than most — stay silent, cancel, get goodwill —
 * drawn from their order ids, so that a restarted harness, the simulated people and the
 * invariant checker all agree on who they are.
 */
export interface StepSettings {
  /**
   * Share of customers who never answer a delivery (0–1): the order is then accepted by
   * rule when its acceptance period runs out, on fulfillment's durable timer.
   */
  silentCustomers: number;
  /**
   * Share of customers who cancel once their order is assigned, before anything ships
   * (0–1): its stock goes back, its task closes, a prepayment is refunded. The clerk and
   * the technician leave such orders alone, so every one of them ends cancelled.
   */
  cancellingCustomers?: number;
  /**
   * Share of closed orders on which a finance clerk refunds a tenth as goodwill (0–1), by a
   * reference of their own: a retry after a lost answer must not refund twice.
   */
  goodwillRefunds?: number;
}

/** Whether this order's customer stays silent, by its id (stable across restarts and replays). */
export function staysSilent(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 0) < share;
}

/** Whether this order's customer cancels it before it ships, by its id; independent of `staysSilent`. */
export function cancelsBeforeShipping(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 4) < share;
}

/** The goodwill a finance clerk refunds on this closed order: a tenth of its total, or 0 for most orders. */
export function goodwillOf(order: Pick<TrackedOrder, "orderId" | "grandTotalMinor">, share: number): number {
  return share > 0 && idFraction(order.orderId, 8) < share ? Math.max(1, Math.floor(order.grandTotalMinor / 10)) : 0;
}

/** Four hex digits of the id from `offset`, as a fraction in [0, 1): order ids are random. */
function idFraction(orderId: string, offset: number): number {
  return Number.parseInt(orderId.replace(/-/g, "").slice(offset, offset + 4), 16) / 0x10000;
}
