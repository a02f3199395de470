import { result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";
import { judgeRestockDates, type ReplacementDateRow, type RestockTrailRow, type StockDateRow } from "./restock-judgement.ts";

/**
 * Expected restock dates (ADR 030's second addendum) as the simulated clerk recorded them for
 * exchanged SKUs, judged on the warehouse's trail and stock, its goods receipts and after-sales'
 * cases (restock-judgement.ts).
 */
export async function restockDatesAsTold(context: CheckContext): Promise<InvariantResult> {
  const name = "every expected restock date recorded is told, on the stock and the waiting case";
  if (!(await tableExists(context.db, "warehouse", "restock_expectations"))) return skipped(name, "the warehouse keeps no restock dates yet");
  const trail = await context.db.query<RestockTrailRow>(
    "SELECT id::int, store_id, sku, expected_restock_date::text AS date, previous_date::text AS previous FROM warehouse.restock_expectations ORDER BY id",
  );
  // A receipt clears the date; its received_at is its transaction's start, so one that waited for the statement's lock counts as since.
  const stock = await context.db.query<StockDateRow>(`
    SELECT s.store_id, s.sku, min(s.expected_restock_date)::text AS date,
           EXISTS (SELECT 1 FROM warehouse.stock_receipts r WHERE r.store_id = s.store_id AND r.sku = s.sku
                   AND r.received_at > (SELECT max(e.recorded_at) - interval '5 seconds' FROM warehouse.restock_expectations e WHERE e.store_id = s.store_id AND e.sku = s.sku)) AS receipt_since
    FROM warehouse.stock s GROUP BY s.store_id, s.sku`);
  const replacements = await context.db.query<ReplacementDateRow>(`
    SELECT r.case_id, r.status, r.store_id, array(SELECT l->>'sku' FROM jsonb_array_elements(r.lines) l) AS skus, c.replacement_expected_restock::text AS case_date
    FROM warehouse.replacements r JOIN after_sales.cases c USING (case_id)`);
  const { failures, figure } = judgeRestockDates({ trail: trail.rows, stock: stock.rows, replacements: replacements.rows, asked: context.exchanges });
  return result(name, failures, figure);
}
