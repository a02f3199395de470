import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/**
 * The after-sales desk sends a replacement awaiting stock from another store that can reserve it whole now (ADR 030's third
 * addendum): reserved there, it moves to that store's list. The goods coming back still go to the order's store.
 */
export async function moveReplacement(
  deps: WarehouseDeps,
  context: PermittedContext<"move-replacement">,
  caseId: string,
  move: { toStoreId: string; reason: string },
): Promise<ReplacementView> {
  return replacementViewOf(await deps.warehouse.moveReplacement(caseId, context.caller, move, context.correlationId));
}
