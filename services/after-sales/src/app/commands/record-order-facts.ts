import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { evolveFactsOfOrders, type OrderFact } from "../../domain/order-facts.ts";

/** The only events that carry an order fact: the consumer passes over the rest of the topic. */
export const orderFactEventTypes = [EventTypes.OrderCreated, EventTypes.OrderStatusChanged, EventTypes.OrderLinesSubstituted] as const;

/**
 * Keeps after-sales' copy of the orders' facts current from a batch of fulfillment's
 * events: the touched orders' rows are locked and read in one statement and written
 * back in one, whatever the size of the batch.
 */
export async function recordOrderFacts(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
  const facts = events.flatMap((event) => factOf(event) ?? []);
  if (facts.length === 0) return;
  const current = await orderFactsRepository.lockMany(tx, facts.map((f) => f.orderId).sort());
  await orderFactsRepository.saveMany(tx, evolveFactsOfOrders(current, facts));
}

function factOf(event: OrderEvent): OrderFact | undefined {
  switch (event.type) {
    case EventTypes.OrderCreated: {
      const order = event.payload.order;
      return {
        type: "created",
        orderId: event.orderId,
        storeId: event.storeId,
        kind: order?.kind ?? "goods",
        status: event.payload.status,
        customerId: order?.customer?.customerId ?? "",
        lines: (order?.lines ?? []).map((line) => ({ sku: line.sku, quantity: line.quantity })),
        grandTotalMinor: order?.totals?.grandTotalMinor ?? 0,
        currency: order?.totals?.currency ?? "",
      };
    }
    case EventTypes.OrderLinesSubstituted:
      return {
        type: "lines-substituted",
        orderId: event.orderId,
        storeId: event.storeId,
        lines: event.payload.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        grandTotalMinor: event.payload.totals?.grandTotalMinor ?? 0,
      };
    case EventTypes.OrderStatusChanged:
      return { type: "status-changed", orderId: event.orderId, storeId: event.storeId, status: event.payload.toStatus, at: event.occurredAt };
    default:
      return undefined;
  }
}
