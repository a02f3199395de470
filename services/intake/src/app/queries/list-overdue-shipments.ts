import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { overdueShipmentViewOf, type OverdueShipmentView } from "../warehouse-views.ts";

/**
 * The store's shipments late at a step (pick, pack or ship) and still not through it, the
 * oldest deadline first, a page at a time: `nextPageToken` (absent on the last page) continues it.
 */
export async function listOverdueShipments(
  deps: WarehouseDeps,
  context: PermittedContext<"list-overdue-shipments">,
  storeId: string,
  query: { limit?: number | undefined; pageSize?: number | undefined; pageToken?: string | undefined },
): Promise<{ shipments: OverdueShipmentView[]; nextPageToken?: string }> {
  // 0 leaves the size (100) to the warehouse, which owns it and refuses a token it did not give.
  const page = { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", limit: query.limit ?? 0 };
  const listed = await deps.warehouse.listOverdueShipments(storeId, page, context.correlationId);
  const shipments = listed.shipments.map(overdueShipmentViewOf);
  return listed.nextPageToken ? { shipments, nextPageToken: listed.nextPageToken } : { shipments };
}
