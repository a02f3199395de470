import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { availabilityPerStore } from "../../domain/stock-availability.ts";

/**
 * Which stores have a SKU and how many each can still promise (ADR 030's third addendum), read
 * unlocked: a hint for the desk choosing where to send a waiting replacement from; the move itself
 * decides on the locked rows. A SKU no store stocks has no stores.
 */
export async function getSkuAvailability(pool: pg.Pool, request: warehouseApi.GetSkuAvailabilityRequest): Promise<warehouseApi.GetSkuAvailabilityResponse> {
  const sku = request.sku.trim();
  if (!sku) throw new ValidationError([{ field: "sku", message: "is required" }]);
  return { sku, stores: availabilityPerStore(await stockRepository.levelsOfSku(pool, sku)) };
}
