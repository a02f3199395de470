import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { pickListEntryViewOf, type PickListEntryView } from "../warehouse-views.ts";

/**
 * The store's reservations at one step of the way out (ready to pick by default), most urgent
 * first, a page at a time: `nextPageToken` (absent on the last page) continues it.
 */
export async function getPickList(
  deps: WarehouseDeps,
  context: PermittedContext<"view-pick-list">,
  storeId: string,
  query: { status?: string | undefined; limit?: number | undefined; pageSize?: number | undefined; pageToken?: string | undefined },
): Promise<{ entries: PickListEntryView[]; nextPageToken?: string }> {
  // 0 leaves the size (50) to the warehouse, which owns it and refuses a token it did not give.
  const listed = await deps.warehouse.listPickList(storeId, query.status ?? "", { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", limit: query.limit ?? 0 }, context.correlationId);
  const entries = listed.entries.map(pickListEntryViewOf);
  return listed.nextPageToken ? { entries, nextPageToken: listed.nextPageToken } : { entries };
}
