import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { stockRepository, type StockLevelRow } from "../../adapters/pg/stock-repository.ts";
import { availableAt } from "../../domain/stock.ts";

/** A store's stock per SKU and location; every SKU when none are named. An unknown SKU has no rows. */
export async function getStock(pool: pg.Pool, request: warehouseApi.GetStockRequest): Promise<warehouseApi.GetStockResponse> {
  if (!request.storeId) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const levels = await stockRepository.levels(pool, request.storeId, request.skus);
  return { levels: levels.map(stockLevelView) };
}

/** One row as callers see it: with what may still be promised, and the restock date ("" when unknown). */
export function stockLevelView(level: StockLevelRow): warehouseApi.StockLevel {
  return {
    storeId: level.storeId,
    sku: level.sku,
    location: level.location,
    onHand: level.onHand,
    reserved: level.reserved,
    available: availableAt(level),
    safetyStock: level.safetyStock,
    expectedRestockDate: level.expectedRestockDate,
  };
}
