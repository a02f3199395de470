import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";

/**
 * The exchanges' replacements the store still has to ship, reserved or awaiting stock, the
 * oldest first (ADR 030), a page at a time: `nextPageToken` (absent on the last page) continues it.
 */
export async function listReplacements(
  deps: WarehouseDeps,
  context: PermittedContext<"list-replacements">,
  storeId: string,
  query: { limit?: number | undefined; pageSize?: number | undefined; pageToken?: string | undefined },
): Promise<{ replacements: ReplacementView[]; nextPageToken?: string }> {
  // 0 leaves the size (100) to the warehouse, which owns it and refuses a token it did not give.
  const listed = await deps.warehouse.listReplacements(storeId, { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", limit: query.limit ?? 0 }, context.correlationId);
  const replacements = listed.replacements.map(replacementViewOf);
  return listed.nextPageToken ? { replacements, nextPageToken: listed.nextPageToken } : { replacements };
}
