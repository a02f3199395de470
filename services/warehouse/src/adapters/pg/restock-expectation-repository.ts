import type pg from "pg";
import type { Actor } from "@oms/contracts";
import type { ExpectedRestockRow } from "../../domain/expected-restock-worklist.ts";

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

  /**
   * Every SKU at the store with an expected date (the earliest over its locations, as the
   * shortages tell it), with the trail's latest statement of that very date (a date set by SQL
   * has none), what is promisable now, and the store's replacements awaiting stock that name
   * the SKU with the units of it they want. Read without locks: a worklist, not a decision.
   */
  async expectedAtStore(db: pg.Pool | pg.ClientBase, storeId: string): Promise<ExpectedRestockRow[]> {
    const { rows } = await db.query<{ sku: string; date: string; recorded_at: Date | null; recorded_by: string | null; available: number; waiting: number; wanted: number }>(
      `WITH dated AS (
         SELECT sku, min(expected_restock_date)::text AS date, sum(greatest(0, on_hand - reserved - safety_stock))::int AS available
         FROM stock WHERE store_id = $1 GROUP BY sku HAVING min(expected_restock_date) IS NOT NULL
       )
       SELECT d.sku, d.date, d.available, t.recorded_at, t.recorded_by,
              count(w.case_id)::int AS waiting, coalesce(sum(w.quantity), 0)::int AS wanted
       FROM dated d
       LEFT JOIN LATERAL (
         SELECT e.recorded_at, e.actor_kind || ':' || e.actor_id AS recorded_by
         FROM restock_expectations e
         WHERE e.store_id = $1 AND e.sku = d.sku AND e.expected_restock_date = d.date::date
         ORDER BY e.id DESC LIMIT 1
       ) t ON true
       LEFT JOIN LATERAL (
         SELECT r.case_id, sum((l->>'quantity')::int) AS quantity
         FROM replacements r, jsonb_array_elements(r.lines) l
         WHERE r.store_id = $1 AND r.status = 'awaiting-stock' AND l->>'sku' = d.sku
         GROUP BY r.case_id
       ) w ON true
       GROUP BY d.sku, d.date, d.available, t.recorded_at, t.recorded_by
       ORDER BY d.date, d.sku`,
      [storeId],
    );
    return rows.map((r) => ({
      sku: r.sku,
      date: r.date,
      recordedAt: r.recorded_at?.toISOString() ?? "",
      recordedBy: r.recorded_by ?? "",
      available: r.available,
      waitingReplacements: r.waiting,
      unitsWanted: r.wanted,
    }));
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
