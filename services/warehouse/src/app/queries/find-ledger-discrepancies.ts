import type pg from "pg";
import { ValidationError } from "@oms/errors";
import { stockLedger, type LedgerDiscrepancy } from "../../adapters/pg/stock-ledger.ts";

/** The store's stock rows whose books disagree with the movement ledger; empty when everything balances. */
export async function findLedgerDiscrepancies(pool: pg.Pool, storeId: string): Promise<LedgerDiscrepancy[]> {
  if (!storeId) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  return stockLedger.discrepancies(pool, storeId);
}
