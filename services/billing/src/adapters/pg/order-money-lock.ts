import type pg from "pg";

/**
 * Holds the orders' money until the transaction ends. Every change to what billing holds
 * for an order takes it first — a payment, a refund, the cancellation — so none reads the
 * order while another is half-way: a cancellation's refund sees every payment that will
 * ever count, and a payment sees a cancellation recorded before it. A lock of its own, not
 * the settlement's row, because billing may hold an order's prepayment before any
 * settlement exists.
 *
 * Its own statement, to run before the reads it guards: a read in the same statement
 * would use the snapshot taken before the wait and miss what the holder committed. Orders
 * are taken in id order, as the settlements' rows are, so two batches never deadlock. The
 * key is the one refunds alone took before, so a replica not yet upgraded still excludes
 * refunds of this one; during such a rolling deploy an old replica takes the settlement's
 * row before this lock, and a deadlock between the two is possible — Postgres breaks it and
 * both retry (retryOnConflict, the consumer's retry).
 */
export async function lockOrderMoney(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  // Volatile calls in the select list run after ORDER BY, in its order.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('billing.refunds'), hashtext(order_id)) FROM unnest($1::text[]) AS order_id ORDER BY order_id", [
    [...new Set(orderIds)],
  ]);
}
