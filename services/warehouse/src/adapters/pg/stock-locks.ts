import type pg from "pg";
import { ConflictError } from "@oms/errors";
import { isPgError } from "@oms/postgres";

/**
 * Row locks on stock, taken so that transactions never deadlock.
 *
 * The consumer applies a whole Kafka batch in one transaction, so one transaction may
 * lock the rows of several orders, one order after the other, and their SKUs come in
 * any order. Every lock is therefore taken in the global key order (store, sku,
 * location; byte order, the columns are COLLATE "C"): a transaction WAITS only for rows
 * above every row it already holds, and takes rows at or below that mark with NOWAIT,
 * i.e. only if they are free at once. Then every waiter waits for a key larger than all
 * it holds, so a cycle of waiters would need keys that grow all the way round: there is
 * none. When a NOWAIT row is busy the transaction fails with ConflictError; the consumer
 * then applies that batch's events one per transaction, which lock in order and wait.
 *
 * Every statement that locks stock rows (reserve, release, ship, hand-over, count,
 * receive) goes through lockStockRows.
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

type StockKey = [storeId: string, sku: string, location: string];

/** The highest key each transaction holds, tagged with its transaction id (pooled clients outlive transactions). */
const highestHeld = new WeakMap<pg.ClientBase, { xact: string; key: StockKey }>();

const LOCK_NOT_AVAILABLE = "55P03";

const columns = "store_id, sku, location, on_hand, reserved, safety_stock, expected_restock_date::text AS expected_restock_date";
const keyOrder = "ORDER BY store_id, sku, location";

/** Locks every location of the store's SKUs until the transaction ends; rows come back in key order. */
export async function lockStockRows(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<LockedStockRow[]> {
  if (skus.length === 0) return [];
  const unique = [...new Set(skus)];
  const xact = (await tx.query<{ xact: string }>("SELECT pg_current_xact_id()::text AS xact")).rows[0]!.xact;
  const held = highestHeld.get(tx);
  const mark = held?.xact === xact ? held.key : undefined;

  let rows: LockedStockRow[];
  let top: LockedStockRow | undefined;
  if (!mark) {
    rows = (await tx.query<LockedStockRow>(`SELECT ${columns} FROM stock WHERE store_id = $1 AND sku = ANY($2::text[]) ${keyOrder} FOR UPDATE`, [storeId, unique]))
      .rows;
    top = rows.at(-1);
  } else {
    const below = await lockAtOrBelowWithoutWaiting(tx, storeId, unique, mark);
    const { rows: above } = await tx.query<LockedStockRow>(
      `SELECT ${columns} FROM stock WHERE store_id = $1 AND sku = ANY($2::text[]) AND (store_id, sku, location) > ($3, $4, $5)
       ${keyOrder} FOR UPDATE`,
      [storeId, unique, ...mark],
    );
    rows = [...below, ...above];
    top = above.at(-1);
  }
  if (top) highestHeld.set(tx, { xact, key: [top.store_id, top.sku, top.location] });
  return rows;
}

async function lockAtOrBelowWithoutWaiting(tx: pg.ClientBase, storeId: string, skus: string[], mark: StockKey): Promise<LockedStockRow[]> {
  try {
    const { rows } = await tx.query<LockedStockRow>(
      `SELECT ${columns} FROM stock WHERE store_id = $1 AND sku = ANY($2::text[]) AND (store_id, sku, location) <= ($3, $4, $5)
       ${keyOrder} FOR UPDATE NOWAIT`,
      [storeId, skus, ...mark],
    );
    return rows;
  } catch (error) {
    if (isPgError(error) && error.code === LOCK_NOT_AVAILABLE) {
      throw new ConflictError("stock.locked-out-of-order", `stock of ${storeId} is locked by another transaction; apply this request on its own`, {
        cause: error,
      });
    }
    throw error;
  }
}
