import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ConflictError } from "@oms/errors";
import { movementColumns } from "./stock-repository.ts";

/** One stock row: store, SKU, location. */
export interface StockKey {
  storeId: string;
  sku: string;
  location: string;
}

/** Who changed the books and why; these movements belong to no order. */
export interface CorrectionContext {
  reason: string;
  actor: Actor;
}

/**
 * Changes of stock that come from the shelves, not from orders: goods received and stock
 * counts. Like stockRepository, every change writes its movement in the same statement;
 * the caller holds the row's lock (stockRepository.lockForSkus).
 */
export const stockCorrections = {
  /**
   * Puts an empty row on record for a location that holds none of the SKU yet, so goods
   * found or received there can be booked; a row already on record is left alone. Call it
   * before taking the SKU's locks: a concurrent caller inserting the same row waits here
   * until this transaction ends, and must then read the row as committed (lock it) before
   * deciding anything from it, since it may no longer be empty.
   */
  async insertEmpty(tx: pg.ClientBase, key: StockKey): Promise<void> {
    await tx.query("INSERT INTO stock (store_id, sku, location, on_hand) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING", [
      key.storeId,
      key.sku,
      key.location,
    ]);
  },

  /** on_hand moves by `difference` (a count found more or less), with a 'count-correction' movement; never below what is reserved. */
  async correctCount(tx: pg.ClientBase, key: StockKey, difference: number, context: CorrectionContext): Promise<void> {
    if (difference === 0) return;
    const { rowCount } = await tx.query(
      `WITH updated AS (
         UPDATE stock SET on_hand = on_hand + $4, updated_at = now()
         WHERE store_id = $1 AND sku = $2 AND location = $3 AND on_hand + $4 >= reserved
         RETURNING store_id, sku, location
       )
       INSERT INTO stock_movements (${movementColumns})
       SELECT store_id, sku, location, 'count-correction', $4, NULL, NULL, $5, $6, $7, $8 FROM updated`,
      [key.storeId, key.sku, key.location, difference, ...contextValues(context)],
    );
    if (rowCount !== 1) throw new ConflictError("stock.moved-while-counting", `${key.sku} at ${key.location} moved while the count was booked`);
  },

  /**
   * Goods came in: on_hand grows, with a 'received' movement. The delivery that was
   * expected has come, so no location of the SKU in the store expects one any more.
   */
  async receive(tx: pg.ClientBase, key: StockKey, quantity: number, receiptId: string, context: CorrectionContext): Promise<void> {
    const { rowCount } = await tx.query(
      `WITH updated AS (
         UPDATE stock SET on_hand = on_hand + $4, expected_restock_date = NULL, updated_at = now()
         WHERE store_id = $1 AND sku = $2 AND location = $3
         RETURNING store_id, sku, location
       ), restocked_elsewhere AS (
         UPDATE stock SET expected_restock_date = NULL
         WHERE store_id = $1 AND sku = $2 AND location <> $3 AND expected_restock_date IS NOT NULL
       )
       INSERT INTO stock_movements (${movementColumns}, receipt_id)
       SELECT store_id, sku, location, 'received', $4, NULL, NULL, $5, $6, $7, $8, $9 FROM updated`,
      [key.storeId, key.sku, key.location, quantity, ...contextValues(context), receiptId],
    );
    if (rowCount !== 1) throw new ConflictError("stock.moved-while-receiving", `${key.sku} at ${key.location} is not on record`);
  },
};

/** Resellable units of a return, back on hand at one location. */
export interface ReturnedUnits extends StockKey {
  quantity: number;
}

/** The order the goods came back from and the return receipt that booked them, besides who and why. */
export interface ReturnContext extends CorrectionContext {
  orderId: string;
  caseId: string;
  receiptId: string;
}

/**
 * Resellable returned goods go back on hand, with a 'returned' movement each naming the
 * order and the return receipt — every line of the receipt in one statement. The caller
 * holds the rows' locks and put a row on record for a new location (insertEmpty).
 */
export async function restockReturned(tx: pg.ClientBase, units: readonly ReturnedUnits[], context: ReturnContext): Promise<void> {
  if (units.length === 0) return;
  const { rowCount } = await tx.query(
    `WITH back AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS b(store_id, sku, location, quantity)
     ), updated AS (
       UPDATE stock s SET on_hand = s.on_hand + b.quantity, updated_at = now()
       FROM back b WHERE s.store_id = b.store_id AND s.sku = b.sku AND s.location = b.location
       RETURNING s.store_id, s.sku, s.location, b.quantity
     )
     INSERT INTO stock_movements (${movementColumns}, case_id, receipt_id)
     SELECT store_id, sku, location, 'returned', quantity, $5, NULL, $6, $7, $8, $9, $10, $11 FROM updated`,
    [
      units.map((u) => u.storeId),
      units.map((u) => u.sku),
      units.map((u) => u.location),
      units.map((u) => u.quantity),
      context.orderId,
      ...contextValues(context),
      context.caseId,
      context.receiptId,
    ],
  );
  if (rowCount !== units.length) throw new ConflictError("stock.moved-while-restocking", `a location of the return receipt ${context.receiptId} is not on record`);
}

function contextValues(context: CorrectionContext): string[] {
  return [context.reason, context.actor.kind, context.actor.id, context.actor.role];
}
