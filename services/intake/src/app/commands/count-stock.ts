import type { StockCount } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import { stockLevelViewOf, type StockLevelView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A warehouse clerk counted a location: the count corrects the books, with the reason recorded. */
export async function countStock(deps: WarehouseDeps, context: PermittedContext<"count-stock">, storeId: string, count: StockCount): Promise<StockLevelView> {
  return stockLevelViewOf(await deps.warehouse.countStock(storeId, context.caller, count, context.correlationId));
}
