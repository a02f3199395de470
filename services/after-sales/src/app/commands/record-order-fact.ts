import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { evolveFacts, type OrderFact } from "../../domain/order-facts.ts";

/** Keeps after-sales' copy of an order's facts current from fulfillment's events. */
export async function recordOrderFact(tx: pg.ClientBase, event: OrderEvent): Promise<void> {
  const fact = factOf(event);
  if (!fact) return;
  const current = await orderFactsRepository.lock(tx, event.orderId);
  await orderFactsRepository.save(tx, evolveFacts(current, fact));
}

function factOf(event: OrderEvent): OrderFact | undefined {
  switch (event.type) {
    case EventTypes.OrderCreated:
      return { type: "created", orderId: event.orderId, storeId: event.storeId, kind: event.payload.order?.kind ?? "goods", status: event.payload.status };
    case EventTypes.OrderStatusChanged:
      return { type: "status-changed", orderId: event.orderId, storeId: event.storeId, status: event.payload.toStatus, at: event.occurredAt };
    default:
      return undefined;
  }
}
