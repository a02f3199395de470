import type pg from "pg";
import { ConflictError } from "@oms/errors";

/**
 * Row locks on stock, taken so that transactions queue behind each other instead of
 * deadlocking or failing.
 *
 * Every transaction takes all the stock rows it will write in ONE statement, in the
 * global key order (store, sku, location; byte order, the columns are COLLATE "C"), and
 * waits for them. Two transactions that want common rows then queue at the first row
 * they share: neither can hold a row the other is waiting for below it, so there is no
 * cycle, and nobody gives up.
 *
 * - A count's transaction locks one SKU's rows, a batch of clerks' steps the rows of
 *   every reservation it ships (app/clerk-steps.ts): one call.
 * - The consumer applies a whole Kafka batch in one transaction, so one transaction
 *   handles several orders one after the other, in any order of their SKUs. A batch of
 *   reservations only decides on rows read unlocked (readStockOf) and locks the rows it
 *   books in one statement as its last writes; if one of them moved meanwhile, it rolls
 *   back to a savepoint and decides again the other way. That way — and always for a batch
 *   that also releases or hands over stock — it locks, before handling any request, every
 *   row that any of the batch's events will lock (lockStockOf,
 *   ports/consumers/fulfillment-requests.ts). The handlers' own calls later in the
 *   transaction find those rows held already and wait for nothing.
 *
 * What could still come late is a location row created (and committed) for a SKU after
 * the batch took its locks. Waiting for it may, at worst, close a cycle; Postgres then
 * breaks it (40P01), and the consumer treats that as a failure of the infrastructure and
 * applies the batch again, whose up-front lock now covers the new row.
 *
 * Replacements awaiting stock are reserved when stock rises at their store (ADR 030's
 * addendum), in the step that raised it: the step reads which of them its SKUs may serve
 * (unlocked) and takes their SKUs' stock rows in its own one statement, then locks those
 * replacements, then takes the rows again with lockStockRowsAtOnce, which never waits — it
 * finds them held already, or fails at once and the step is applied again — so nothing that
 * holds a replacement's row waits for stock.
 *
 * Reservation rows come after stock rows: a step that writes a reservation locks the
 * reservation's stock rows first (app/advance-reservation.ts, release-stock.ts). A
 * clerk's shipment holds the stock and then waits for the reservation; whoever holds
 * that reservation took its stock rows before, so it cannot be waiting for them. Pick
 * and pack lock the reservation alone and wait for nothing after.
 */

export interface LockedStockRow {
  store_id: string;
  sku: string;
  location: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  expected_restock_date: string | null;
}

/** Every location of one SKU in one store. */
export interface StockKey {
  storeId: string;
  sku: string;
}

const columns = "store_id, sku, location, on_hand, reserved, safety_stock, expected_restock_date::text AS expected_restock_date";

/** Locks every location of the store's SKUs until the transaction ends, waiting in key order; rows come back in key order. */
export async function lockStockRows(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<LockedStockRow[]> {
  return lockStockOf(
    tx,
    skus.map((sku) => ({ storeId, sku })),
  );
}

/**
 * Locks every location of the store's SKUs without ever waiting (NOWAIT): for a step that
 * holds rows which must not wait for stock (a replacement's), and took these stock rows
 * already in its own one statement, so they come back at once. A row another transaction
 * holds (a replacement named a SKU the step did not foresee) fails the step at once, as a
 * conflict to apply again, instead of waiting and perhaps closing a cycle.
 */
export async function lockStockRowsAtOnce(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<LockedStockRow[]> {
  if (skus.length === 0) return [];
  try {
    const { rows } = await tx.query<LockedStockRow>(
      `SELECT ${columns} FROM stock WHERE store_id = $1 AND sku = ANY($2::text[]) ORDER BY store_id, sku, location FOR UPDATE NOWAIT`,
      [storeId, [...new Set(skus)]],
    );
    return rows;
  } catch (error) {
    if ((error as { code?: unknown }).code !== "55P03") throw error;
    throw new ConflictError("stock.held-elsewhere", `stock of ${skus.join(", ")} at ${storeId} is held by another step; this one is applied again`, { cause: error });
  }
}

/**
 * Locks every location of each (store, SKU) until the transaction ends, in one statement
 * and in key order, waiting for rows other transactions hold. Rows come back in key order.
 */
export async function lockStockOf(tx: pg.ClientBase, keys: readonly StockKey[]): Promise<LockedStockRow[]> {
  if (keys.length === 0) return [];
  // FOR UPDATE locks rows as they leave the sort, so the ORDER BY is the lock order.
  const { rows } = await tx.query<LockedStockRow>(
    `SELECT ${columns} FROM stock
     WHERE (store_id, sku) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     ORDER BY store_id, sku, location
     FOR UPDATE`,
    [keys.map((k) => k.storeId), keys.map((k) => k.sku)],
  );
  return rows;
}

/**
 * The stock rows the lines of these reservations come from (every location of each store
 * and SKU), locked in the global order, in one statement: the reservations are read
 * unlocked on the way, as a batch of shipments must lock stock before reservations.
 */
export async function lockStockOfReservations(tx: pg.ClientBase, reservationIds: readonly string[]): Promise<LockedStockRow[]> {
  if (reservationIds.length === 0) return [];
  const { rows } = await tx.query<LockedStockRow>(
    `SELECT ${columns} FROM stock
     WHERE (store_id, sku) IN (
       SELECT r.store_id, l.sku FROM reservations r JOIN reservation_lines l USING (reservation_id)
       WHERE r.reservation_id = ANY($1::text[]))
     ORDER BY store_id, sku, location
     FOR UPDATE OF stock`,
    [[...new Set(reservationIds)]],
  );
  return rows;
}

/**
 * Every location of each (store, SKU) as committed, without locking: for a batch that
 * decides on these rows and locks only the rows it books, at the end (ReservationBatch's
 * late locking), where the booking's own guard catches a row that moved meanwhile.
 */
export async function readStockOf(tx: pg.ClientBase, keys: readonly StockKey[]): Promise<LockedStockRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await tx.query<LockedStockRow>(
    `SELECT ${columns} FROM stock
     WHERE (store_id, sku) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     ORDER BY store_id, sku, location`,
    [keys.map((k) => k.storeId), keys.map((k) => k.sku)],
  );
  return rows;
}

