import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";

/** The exchanges' replacements the store still has to ship, reserved or awaiting stock, the oldest first (ADR 030). */
export async function listReplacements(
  deps: WarehouseDeps,
  context: PermittedContext<"list-replacements">,
  storeId: string,
  query: { limit?: number | undefined },
): Promise<{ replacements: ReplacementView[] }> {
  // 0 leaves the default (100) to the warehouse, which owns it.
  const { replacements } = await deps.warehouse.listReplacements(storeId, query.limit ?? 0, context.correlationId);
  return { replacements: replacements.map(replacementViewOf) };
}
