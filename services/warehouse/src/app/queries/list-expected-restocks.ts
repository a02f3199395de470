import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { restockExpectationRepository } from "../../adapters/pg/restock-expectation-repository.ts";
import { expectedRestockWorklist } from "../../domain/expected-restock-worklist.ts";

/**
 * The store's expected deliveries (ADR 030's second addendum): every SKU with a date staff
 * recorded, the dates already over first — nothing expires a date that passes without goods,
 * so this is where the clerks see which to chase, record anew or clear. Whole, without a limit:
 * one row per SKU with a date, which a store keeps few of.
 */
export async function listExpectedRestocks(pool: pg.Pool, request: warehouseApi.ListExpectedRestocksRequest, clock: () => Date): Promise<warehouseApi.ListExpectedRestocksResponse> {
  const storeId = request.storeId.trim();
  if (!storeId) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const rows = await restockExpectationRepository.expectedAtStore(pool, storeId);
  const items = expectedRestockWorklist(rows, clock(), request.overdueOnly).map((e) => ({
    sku: e.sku,
    expectedRestockDate: e.date,
    overdue: e.overdue,
    recordedAt: e.recordedAt,
    recordedBy: e.recordedBy,
    available: e.available,
    waitingReplacements: e.waitingReplacements,
    unitsShort: e.unitsShort,
  }));
  return { items };
}
