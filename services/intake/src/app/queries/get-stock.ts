import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { stockLevelViewOf, type StockLevelView } from "../warehouse-views.ts";

/** A store's stock per SKU and location (every SKU when none is named), from the warehouse. */
export async function getStock(
  deps: WarehouseDeps,
  context: PermittedContext<"view-stock">,
  storeId: string,
  skus: readonly string[],
): Promise<{ levels: StockLevelView[] }> {
  const { levels } = await deps.warehouse.getStock(storeId, skus, context.correlationId);
  return { levels: levels.map(stockLevelViewOf) };
}
