import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { pickListEntryViewOf, type PickListEntryView } from "../warehouse-views.ts";

/** The store's reservations at one step of the way out (ready to pick by default), most urgent first. */
export async function getPickList(
  deps: WarehouseDeps,
  context: PermittedContext<"view-pick-list">,
  storeId: string,
  query: { status?: string | undefined; limit?: number | undefined },
): Promise<{ entries: PickListEntryView[] }> {
  const { entries } = await deps.warehouse.listPickList(storeId, query.status ?? "", query.limit ?? 0, context.correlationId);
  return { entries: entries.map(pickListEntryViewOf) };
}
