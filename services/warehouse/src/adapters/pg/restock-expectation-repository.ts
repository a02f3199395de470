import type pg from "pg";
import type { Actor } from "@oms/contracts";

/** One statement about a SKU's next delivery at a store: the new date ("" cleared), the one before, why, and who. */
export interface RestockStatement {
  storeId: string;
  sku: string;
  date: string;
  previous: string;
  reason: string;
  actor: Actor;
}

/**
 * The expected restock dates staff record: on the SKU's stock rows (every location at the
 * store, where shortages read them) and in the append-only trail. The caller holds the rows'
 * locks (stockRepository.lockForSkus).
 */
export const restockExpectationRepository = {
  /** Whether the warehouse knows the store: its routing rules, or any stock booked there. */
  async storeKnown(db: pg.ClientBase, storeId: string): Promise<boolean> {
    const { rows } = await db.query<{ known: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM store_routing WHERE store_id = $1) OR EXISTS (SELECT 1 FROM stock WHERE store_id = $1) AS known",
      [storeId],
    );
    return rows[0]?.known ?? false;
  },

  /** Every location of the SKU at the store takes the date (NULL when cleared). */
  async carry(tx: pg.ClientBase, storeId: string, sku: string, date: string): Promise<void> {
    await tx.query("UPDATE stock SET expected_restock_date = $3::date, updated_at = now() WHERE store_id = $1 AND sku = $2", [storeId, sku, date || null]);
  },

  /** Every location of the SKU at the store takes the date (NULL when cleared), and the trail keeps the statement. */
  async record(tx: pg.ClientBase, statement: RestockStatement): Promise<void> {
    const { storeId, sku, date, previous, reason, actor } = statement;
    await restockExpectationRepository.carry(tx, storeId, sku, date);
    await tx.query(
      `INSERT INTO restock_expectations (store_id, sku, expected_restock_date, previous_date, reason, actor_kind, actor_id, actor_role)
       VALUES ($1, $2, $3::date, $4::date, $5, $6, $7, $8)`,
      [storeId, sku, date || null, previous || null, reason, actor.kind, actor.id, actor.role],
    );
  },
};
