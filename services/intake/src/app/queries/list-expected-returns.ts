import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { expectedReturnViewOf, type ExpectedReturnView } from "../warehouse-views.ts";

/** The goods the store expects back from accepted returns and exchanges, the longest expected first. */
export async function listExpectedReturns(
  deps: WarehouseDeps,
  context: PermittedContext<"list-expected-returns">,
  storeId: string,
  query: { limit?: number | undefined },
): Promise<{ returns: ExpectedReturnView[] }> {
  // 0 leaves the default (100) to the warehouse, which owns it.
  const { returns } = await deps.warehouse.listExpectedReturns(storeId, query.limit ?? 0, context.correlationId);
  return { returns: returns.map(expectedReturnViewOf) };
}
