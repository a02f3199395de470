import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";
import { expectedReturnViewOf, type ExpectedReturnView } from "../warehouse-views.ts";

/**
 * The goods the store expects back from accepted returns and exchanges, the longest expected
 * first, a page at a time: `nextPageToken` (absent on the last page) continues it.
 */
export async function listExpectedReturns(
  deps: WarehouseDeps,
  context: PermittedContext<"list-expected-returns">,
  storeId: string,
  query: { limit?: number | undefined; pageSize?: number | undefined; pageToken?: string | undefined },
): Promise<{ returns: ExpectedReturnView[]; nextPageToken?: string }> {
  // 0 leaves the size (100) to the warehouse, which owns it and refuses a token it did not give.
  const listed = await deps.warehouse.listExpectedReturns(storeId, { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", limit: query.limit ?? 0 }, context.correlationId);
  const returns = listed.returns.map(expectedReturnViewOf);
  return listed.nextPageToken ? { returns, nextPageToken: listed.nextPageToken } : { returns };
}
