import type { StockReceipt } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import { stockLevelViewOf, type StockLevelView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A warehouse clerk booked goods received at a location (a restock). */
export async function receiveStock(deps: WarehouseDeps, context: PermittedContext<"receive-stock">, storeId: string, receipt: StockReceipt): Promise<StockLevelView> {
  return stockLevelViewOf(await deps.warehouse.receiveStock(storeId, context.caller, receipt, context.correlationId));
}
