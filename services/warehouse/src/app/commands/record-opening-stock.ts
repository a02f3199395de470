import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { stockRepository, type OpeningStock } from "../../adapters/pg/stock-repository.ts";

/**
 * Puts stock on record that the warehouse has not booked yet (opening balances when a
 * store starts with the system, the demo chain). Stock already on record is left alone,
 * whatever the input says: it may have been reserved or counted since. Returns how many
 * rows were new.
 */
export async function recordOpeningStock(tx: pg.ClientBase, rows: readonly OpeningStock[], actor: Actor, reason = "opening stock"): Promise<number> {
  const fields: FieldError[] = [];
  rows.forEach((row, index) => {
    for (const key of ["storeId", "sku", "location"] as const) if (!row[key]) fields.push({ field: `[${index}].${key}`, message: "is required" });
    for (const key of ["onHand", "safetyStock"] as const) {
      if (!Number.isInteger(row[key]) || row[key] < 0) fields.push({ field: `[${index}].${key}`, message: `must be a whole number >= 0, got ${row[key]}` });
    }
  });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "stock.invalid-opening-stock");
  return stockRepository.insertMissing(tx, rows, reason, actor);
}
