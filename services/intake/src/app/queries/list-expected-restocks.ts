import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { expectedRestockItemViewOf, type ExpectedRestockItemView } from "../warehouse-views.ts";

/**
 * The store's expected deliveries (ADR 030's second addendum), the dates already over first: a
 * date that passes without goods keeps being told to waiting customers until someone records
 * another or clears it, so the clerks and the store manager see here which to chase.
 */
export async function listExpectedRestocks(
  deps: WarehouseDeps,
  context: PermittedContext<"list-expected-restocks">,
  storeId: string,
  query: { overdueOnly: boolean },
): Promise<{ items: ExpectedRestockItemView[] }> {
  const { items } = await deps.warehouse.listExpectedRestocks(storeId, query.overdueOnly, context.correlationId);
  return { items: items.map(expectedRestockItemViewOf) };
}
