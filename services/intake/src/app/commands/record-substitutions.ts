import type pg from "pg";
import type { EventTypes, OrderEvent } from "@oms/contracts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";

type LinesSubstituted = Extract<OrderEvent, { type: typeof EventTypes.OrderLinesSubstituted }>;

/**
 * Fulfillment applied a customer's substitution: intake's copy of the order takes the new
 * lines and totals, so what it hands on later (a correction carries the whole order) is
 * the order as it now stands. Applied in event order; a redelivered event writes the same.
 */
export async function recordSubstitutions(tx: pg.ClientBase, events: readonly LinesSubstituted[]): Promise<void> {
  for (const event of events) {
    const order = await orderRepository.lock(tx, event.orderId);
    if (!order) continue; // Not an order intake accepted (a test publishing fulfillment's events alone).
    await orderRepository.replaceCanonical(tx, event.orderId, { ...order.canonical, lines: event.payload.lines, totals: event.payload.totals });
  }
}
