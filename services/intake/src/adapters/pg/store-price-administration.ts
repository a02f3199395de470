import type pg from "pg";
import { ConflictError } from "@oms/errors";
import type { StorePrice, StorePriceSubject } from "../../domain/store-price.ts";

/** A store's price of an item as it stands, with its version and who set or removed it. */
export interface StoredStorePrice {
  price: StorePrice;
  version: number;
  /** Set: the store charges the chain's price again; `price` is the last it charged. */
  removed: { reason: string; at: Date } | undefined;
  updatedBy: string;
  updatedAt: Date;
}

type Db = pg.ClientBase | pg.Pool;

interface StorePriceRow {
  store_id: string;
  sku: string;
  unit_price_minor: number;
  version: number;
  removed_at: Date | null;
  removed_reason: string | null;
  updated_by: string;
  updated_at: Date;
}

const select = `SELECT store_id, sku, unit_price_minor::float8 AS unit_price_minor, version::float8 AS version, removed_at, removed_reason, updated_by, updated_at
  FROM store_prices`;

const storedOf = (r: StorePriceRow): StoredStorePrice => ({
  price: { storeId: r.store_id, sku: r.sku, unitPriceMinor: r.unit_price_minor },
  version: r.version,
  removed: r.removed_at !== null && r.removed_reason !== null ? { reason: r.removed_reason, at: r.removed_at } : undefined,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

const concurrentChange = (storeId: string, sku: string) =>
  new ConflictError("catalogue.concurrent-change", `the price of ${sku} at store ${storeId} was changed at the same moment; try again`);

/**
 * Stores' own prices in intake's schema (ADR 028, addendum): each write goes with its version
 * (one more than the row's, checked in the statement), in the caller's transaction, which
 * also holds the trail's entry and the event.
 */
export const storePriceAdministration = {
  /** The pair's row, locked until the transaction ends: concurrent changes of one price queue here. */
  async lockPrice(tx: pg.ClientBase, storeId: string, sku: string): Promise<StoredStorePrice | undefined> {
    const { rows } = await tx.query<StorePriceRow>(`${select} WHERE store_id = $1 AND sku = $2 FOR UPDATE`, [storeId, sku]);
    return rows[0] && storedOf(rows[0]);
  },

  /**
   * What the check of a price needs: whether the store exists and the chain's item. Both rows
   * are held (FOR SHARE) until the transaction ends, so neither changes under the check.
   */
  async subjectOf(tx: pg.ClientBase, storeId: string, sku: string): Promise<StorePriceSubject> {
    const [store, item] = await Promise.all([
      tx.query("SELECT 1 FROM stores WHERE store_id = $1 FOR SHARE", [storeId]),
      tx.query<{ withdrawn_reason: string | null }>("SELECT withdrawn_reason FROM price_list WHERE sku = $1 FOR SHARE", [sku]),
    ]);
    const row = item.rows[0];
    return {
      storeExists: store.rowCount === 1,
      item: row && { sku, ...(row.withdrawn_reason !== null ? { withdrawn: { reason: row.withdrawn_reason } } : {}) },
    };
  },

  /** Writes the price as the version after `previous` (none: the pair's first, at 1); a removed price set again is charged again. */
  async writePrice(tx: pg.ClientBase, price: StorePrice, previous: number | undefined, by: string): Promise<number> {
    const version = (previous ?? 0) + 1;
    const values = [price.storeId, price.sku, price.unitPriceMinor, version, by];
    const { rowCount } =
      previous === undefined
        ? await tx.query(
            `INSERT INTO store_prices (store_id, sku, unit_price_minor, version, updated_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (store_id, sku) DO NOTHING`,
            values,
          )
        : await tx.query(
            `UPDATE store_prices SET unit_price_minor = $3, version = $4, updated_by = $5, removed_at = NULL, removed_reason = NULL, updated_at = now()
             WHERE store_id = $1 AND sku = $2 AND version = $4 - 1`,
            values,
          );
    if (rowCount !== 1) throw concurrentChange(price.storeId, price.sku);
    return version;
  },

  async removePrice(tx: pg.ClientBase, storeId: string, sku: string, reason: string, version: number, by: string): Promise<void> {
    const { rowCount } = await tx.query(
      `UPDATE store_prices SET removed_at = now(), removed_reason = $3, version = $4, updated_by = $5, updated_at = now()
       WHERE store_id = $1 AND sku = $2 AND version = $4 - 1`,
      [storeId, sku, reason, version, by],
    );
    if (rowCount !== 1) throw concurrentChange(storeId, sku);
  },

  /** The store's own prices in force (removed ones left out), by item code. */
  async listPrices(db: Db, storeId: string): Promise<StoredStorePrice[]> {
    const { rows } = await db.query<StorePriceRow>(`${select} WHERE store_id = $1 AND removed_at IS NULL ORDER BY sku`, [storeId]);
    return rows.map(storedOf);
  },

  /** Every store's prices in force, as the order path keeps them in memory. */
  async loadInForce(db: Db): Promise<StorePrice[]> {
    const { rows } = await db.query<{ store_id: string; sku: string; unit_price_minor: number }>(
      "SELECT store_id, sku, unit_price_minor::float8 AS unit_price_minor FROM store_prices WHERE removed_at IS NULL",
    );
    return rows.map((r) => ({ storeId: r.store_id, sku: r.sku, unitPriceMinor: r.unit_price_minor }));
  },
};
