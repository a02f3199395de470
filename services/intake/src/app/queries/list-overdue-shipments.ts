import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { overdueShipmentViewOf, type OverdueShipmentView } from "../warehouse-views.ts";

/** The store's shipments late at a step (pick, pack or ship) and still not through it, the oldest deadline first. */
export async function listOverdueShipments(
  deps: WarehouseDeps,
  context: PermittedContext<"list-overdue-shipments">,
  storeId: string,
  query: { limit?: number | undefined },
): Promise<{ shipments: OverdueShipmentView[] }> {
  // 0 leaves the default (100) to the warehouse, which owns it.
  const { shipments } = await deps.warehouse.listOverdueShipments(storeId, query.limit ?? 0, context.correlationId);
  return { shipments: shipments.map(overdueShipmentViewOf) };
}
