import type pg from "pg";

/** A stock row whose books do not match the sum of its movements. */
export interface LedgerDiscrepancy {
  storeId: string;
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  onHandPerLedger: number;
  reservedPerLedger: number;
}

interface DiscrepancyRow {
  store_id: string;
  sku: string;
  location: string;
  on_hand: number;
  reserved: number;
  on_hand_per_ledger: number;
  reserved_per_ledger: number;
}

/** Reads over the append-only movement ledger (stock_movements). */
export const stockLedger = {
  /**
   * Rows where (on_hand - reserved) + reserved + shipped ≠ received + returned + count corrections,
   * checked as its two halves: on_hand against received + returned + corrections - shipped, and
   * reserved against reserved - released - shipped. Empty when the books balance.
   */
  async discrepancies(db: pg.Pool | pg.ClientBase, storeId: string): Promise<LedgerDiscrepancy[]> {
    const { rows } = await db.query<DiscrepancyRow>(
      `WITH ledger AS (
         SELECT sku, location,
                sum(CASE kind WHEN 'received' THEN quantity WHEN 'returned' THEN quantity WHEN 'count-correction' THEN quantity WHEN 'shipped' THEN -quantity ELSE 0 END)::int AS on_hand,
                sum(CASE kind WHEN 'reserved' THEN quantity WHEN 'released' THEN -quantity WHEN 'shipped' THEN -quantity ELSE 0 END)::int AS reserved
         FROM stock_movements WHERE store_id = $1 GROUP BY sku, location
       )
       SELECT $1 AS store_id, coalesce(s.sku, l.sku) AS sku, coalesce(s.location, l.location) AS location,
              coalesce(s.on_hand, 0) AS on_hand, coalesce(s.reserved, 0) AS reserved,
              coalesce(l.on_hand, 0) AS on_hand_per_ledger, coalesce(l.reserved, 0) AS reserved_per_ledger
       FROM (SELECT * FROM stock WHERE store_id = $1) s
       FULL JOIN ledger l ON l.sku = s.sku AND l.location = s.location
       WHERE coalesce(s.on_hand, 0) <> coalesce(l.on_hand, 0) OR coalesce(s.reserved, 0) <> coalesce(l.reserved, 0)
       ORDER BY 2, 3`,
      [storeId],
    );
    return rows.map((r) => ({
      storeId: r.store_id,
      sku: r.sku,
      location: r.location,
      onHand: r.on_hand,
      reserved: r.reserved,
      onHandPerLedger: r.on_hand_per_ledger,
      reservedPerLedger: r.reserved_per_ledger,
    }));
  },
};
