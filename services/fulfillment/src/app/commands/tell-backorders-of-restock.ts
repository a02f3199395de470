import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { timelineRepository } from "../../adapters/pg/timeline-repository.ts";
import { restockEntryOf } from "../timeline-entries.ts";
import { waitingForStockAt } from "./release-backorders.ts";

/**
 * Staff at a store recorded or cleared the day a SKU is expected back (ADR 030's second
 * addendum): every order waiting for that SKU there — the backorders fulfillment keeps, which
 * the warehouse does not know — gets the news on its timeline, for the order taker and the
 * customer. The order does not move: it still waits for the stock itself. One entry per order
 * and announcement (its id is the event's and the order's), so a redelivery adds none.
 */
export async function tellBackordersOfRestock(tx: pg.ClientBase, event: OrderEventOf<typeof EventTypes.RestockExpected>): Promise<string[]> {
  const { rows } = await tx.query<{ order_id: string }>(`SELECT order_id FROM orders WHERE ${waitingForStockAt} ORDER BY order_id`, [
    event.storeId,
    [event.payload.sku],
  ]);
  const orderIds = rows.map((r) => r.order_id);
  await timelineRepository.append(
    tx,
    orderIds.map((orderId) => restockEntryOf(event, orderId)),
  );
  return orderIds;
}

