import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Order } from "../../domain/order.ts";
import type { OrderEventCause } from "../contract-events.ts";
import { executeOrderCommand } from "../execute-order-command.ts";

/**
 * The order waited for stock (on hold, or a split order's part in the queue) and no longer
 * does: stock came in for it, and the next order in line may be served too.
 */
export function leftTheQueue(before: Order | undefined, after: Order | undefined): after is Order {
  return before?.holdReason === "awaiting-stock" && after !== undefined && after.holdReason !== "awaiting-stock";
}

/** Stock of these SKUs became free to promise at this store: the next order waiting for one of them may have it. */
export interface FreedStock {
  storeId: string;
  skus: string[];
}

/**
 * The stock another service's event made free to promise, if any: goods received, a count
 * that found more, returned goods put back on the shelves, an exchange's replacement called off, or a reservation given back (an order cancelled, a reservation
 * superseded) or turned down by its store. A reservation's SKUs are those of the order (or
 * of the split order's part) as `order` was before the event; the envelope names the store
 * holding the reservation.
 */
export function stockFreedBy(event: OrderEvent, order: Order | undefined): FreedStock | undefined {
  switch (event.type) {
    case EventTypes.StockReceived:
      return { storeId: event.storeId, skus: [event.payload.sku] };
    case EventTypes.StockCounted:
      return event.payload.difference > 0 ? { storeId: event.storeId, skus: [event.payload.sku] } : undefined;
    case EventTypes.ReturnReceived: {
      // Only resellable units reach the shelves; written-off ones free nothing.
      const skus = event.payload.lines.filter((l) => l.restocked > 0).map((l) => l.sku);
      return skus.length > 0 ? { storeId: event.storeId, skus } : undefined;
    }
    case EventTypes.ReplacementCalledOff: {
      // An exchange's replacement called off before it shipped: what it held is free again (ADR 030).
      const skus = [...new Set(event.payload.lines.map((l) => l.sku))];
      return skus.length > 0 ? { storeId: event.storeId, skus } : undefined;
    }
    case EventTypes.StockReleased:
    case EventTypes.ReservationRejected: {
      if (!order) return undefined;
      const part = order.parts?.find((p) => p.reservationId === event.payload.reservationId);
      return { storeId: event.storeId, skus: [...new Set((part?.lines ?? order.lines).map((l) => l.sku))] };
    }
    default:
      return undefined;
  }
}

/**
 * A split order waits only for the lines of its part in the queue: its other parts have their
 * goods (reserved, on their way or delivered), so stock or news of their SKUs is not for it.
 * An order not split waits for all its lines ($2: the SKUs).
 */
const waitingPartNeeds = `(CASE WHEN jsonb_typeof(body->'parts') = 'array' THEN jsonb_array_length(body->'parts') ELSE 0 END = 0
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(body->'parts') part CROSS JOIN jsonb_array_elements(part->'lines') line
                  WHERE part->>'stage' = 'awaiting-stock' AND line->>'sku' = ANY($2::text[])))`;

/**
 * The orders waiting for stock of one of the SKUs ($2, text[]) at the store ($1): its backorders.
 * A routed order waits in the chain's queue: stock arriving at any store may serve it. A split
 * order under way may have one part waiting in the queue (hold_reason says so), and waits only
 * for that part's SKUs; one that ended (cancelled with a part still waiting) waits for nothing any more.
 */
export const waitingForStockAt = `(store_id = $1 OR (body->>'routed')::boolean) AND hold_reason = 'awaiting-stock' AND (status = 'on-hold' OR body ? 'parts')
       AND status NOT IN ('cancelled', 'closed', 'rejected')
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(body->'lines') line WHERE line->>'sku' = ANY($2::text[]))
       AND ${waitingPartNeeds}`;

/**
 * Releases the next order waiting on hold for one of these SKUs in this store (or a
 * routed order, which any store may serve) —
 * highest priority first, then the oldest (DOMAIN.md: backorders in priority then
 * arrival order). A split order whose part waits in the queue is released the same way.
 * One at a time: the next is released when this one's reservation
 * succeeds, so a small delivery of stock goes to the right customers.
 */
export async function releaseNextBackorder(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  storeId: string,
  skus: readonly string[],
  cause: OrderEventCause,
): Promise<string | undefined> {
  if (skus.length === 0) return undefined;
  const { rows } = await tx.query<{ order_id: string }>(
    `SELECT order_id FROM orders
     WHERE ${waitingForStockAt}
       -- One already waiting for the warehouse's answer is not asked twice.
       AND (body->>'reservationPending')::boolean IS NOT TRUE
     ORDER BY priority DESC, created_at, order_id
     LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [storeId, skus],
  );
  const orderId = rows[0]?.order_id;
  if (!orderId) return undefined;
  await executeOrderCommand(tx, outbox, orderId, { type: "RetryReservation", actor: cause.actor }, cause);
  return orderId;
}
