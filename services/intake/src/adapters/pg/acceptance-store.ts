import type pg from "pg";
import type { OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { StatementParameters } from "@oms/postgres";
import { orderRepository, type IntakeOrderRecord } from "./order-repository.ts";
import { reviewRepository, type ReviewRecord } from "./review-repository.ts";

/** An accepted order with the event that announces it, and its review when a reviewer must see it first. */
export interface StoredAcceptance {
  record: IntakeOrderRecord;
  event: OrderEvent;
  review?: ReviewRecord | undefined;
}

/**
 * Stores a batch of accepted orders, their reviews and their events in one statement: a
 * statement outside a transaction is a transaction of its own, so the three inserts
 * commit together or not at all, and the batch's requests wait for one round trip
 * instead of four or five (BEGIN, the orders' insert, the reviews' if any, the outbox's,
 * COMMIT), each of which waits for a core on a busy machine. Reviews and events are
 * written only for the orders the first step inserted; returns those orders' ids.
 */
export async function storeAcceptances(db: pg.Pool, outbox: OutboxWriter, acceptances: readonly StoredAcceptance[]): Promise<Set<string>> {
  const parameters = new StatementParameters();
  const newOrders = "new_orders";
  const orders = orderRepository.insertNewStep(acceptances.map((a) => a.record), parameters);
  const reviews = reviewRepository.insertStep(acceptances.flatMap((a) => (a.review ? [a.review] : [])), parameters, newOrders);
  const events = outbox.insertStep(acceptances.map((a) => a.event), parameters, newOrders);
  const { rows } = await db.query<{ order_id: string }>(
    `WITH ${newOrders} AS (${orders}), new_reviews AS (${reviews}), new_events AS (${events})
     SELECT order_id FROM ${newOrders}`,
    parameters.values,
  );
  outbox.committed();
  return new Set(rows.map((r) => r.order_id));
}
