import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { viewerOf } from "../../domain/dispute-showings.ts";
import type { DisputeReadDeps } from "./dispute-deps.ts";
import { disputePageOf, nextDisputePageToken } from "./dispute-pages.ts";
import { disputeViewsOf } from "./dispute-views.ts";

const maxOrders = 200;

/**
 * An order's, several orders' (what the gateway asks before a closure) or a store's disputes,
 * oldest first, optionally open or resolved only; a store's a page at a time (`nextPageToken`
 * continues it, "" on the last page), so none is cut off unsaid. Their statements are opened for the caller the
 * request names, every one shown logged in one statement in the transaction that read them; left
 * sealed when it names none.
 */
export async function listSettlementDisputes({ pool, statements }: DisputeReadDeps, request: billingApi.ListSettlementDisputesRequest): Promise<billingApi.SettlementDisputesView> {
  const fields: FieldError[] = [];
  const orderIds = request.orderId ? [request.orderId, ...request.orderIds] : request.orderIds;
  if (orderIds.length === 0 && !request.storeId) fields.push({ field: "orderId", message: "an order id, order ids or a store id is required" });
  if (orderIds.length > maxOrders) fields.push({ field: "orderIds", message: `must hold at most ${maxOrders} orders` });
  if (request.status && request.status !== "open" && request.status !== "resolved") fields.push({ field: "status", message: "must be open or resolved" });
  const paged = orderIds.length === 0;
  const page = paged ? disputePageOf({ pageSize: request.pageSize ?? 0, pageToken: request.pageToken ?? "" }, fields) : undefined;
  if (!paged && (request.pageToken || request.pageSize)) fields.push({ field: "pageToken", message: "pages a store's list only, not an order's" });
  if (fields.length > 0) throw new ValidationError(fields);
  const viewer = viewerOf(request, request.correlationId);
  const read = async (db: pg.Pool | pg.ClientBase) => {
    const by = { orderIds: paged ? undefined : orderIds, storeId: request.storeId || undefined, status: (request.status || undefined) as "open" | "resolved" | undefined };
    const read = await disputeRepository.list(db, by, page && { size: page.size + 1, after: page.after });
    const disputes = page ? read.slice(0, page.size) : read;
    return {
      disputes: await disputeViewsOf(db, statements, disputes, viewer ? { viewer } : "nobody"),
      nextPageToken: page ? nextDisputePageToken(disputes.at(-1)?.position, read.length > page.size) : "",
    };
  };
  // Only a showing needs the transaction; the check before a closure (no caller) stays as cheap as it was (ADR 010).
  // Logging its showings takes a key-share lock on each dispute listed (the log's foreign key), one
  // after the other, so it can meet the timer poller's batch of escalations locking the same disputes
  // in another order in a deadlock: a read, it is taken again rather than answered "concurrent update".
  return viewer ? retryOnConflict(() => withTransaction(pool, read)) : read(pool);
}
