import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { viewerOf } from "../../domain/dispute-showings.ts";
import type { DisputeReadDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

const maxOrders = 200;

/**
 * An order's, several orders' (what the gateway asks before a closure) or a store's disputes,
 * oldest first, optionally open or resolved only. Their statements are opened for the caller the
 * request names, every one shown logged in one statement in the transaction that read them; left
 * sealed when it names none.
 */
export async function listSettlementDisputes({ pool, statements }: DisputeReadDeps, request: billingApi.ListSettlementDisputesRequest): Promise<billingApi.SettlementDisputesView> {
  const fields: FieldError[] = [];
  const orderIds = request.orderId ? [request.orderId, ...request.orderIds] : request.orderIds;
  if (orderIds.length === 0 && !request.storeId) fields.push({ field: "orderId", message: "an order id, order ids or a store id is required" });
  if (orderIds.length > maxOrders) fields.push({ field: "orderIds", message: `must hold at most ${maxOrders} orders` });
  if (request.status && request.status !== "open" && request.status !== "resolved") fields.push({ field: "status", message: "must be open or resolved" });
  if (fields.length > 0) throw new ValidationError(fields);
  const viewer = viewerOf(request, request.correlationId);
  const read = async (db: pg.Pool | pg.ClientBase) => {
    const disputes = await disputeRepository.list(db, {
      orderIds: orderIds.length > 0 ? orderIds : undefined,
      storeId: request.storeId || undefined,
      status: (request.status || undefined) as "open" | "resolved" | undefined,
    });
    return { disputes: await disputeViewsOf(db, statements, disputes, viewer ? { viewer } : "nobody") };
  };
  // Only a showing needs the transaction; the check before a closure (no caller) stays as cheap as it was (ADR 010).
  // Logging its showings takes a key-share lock on each dispute listed (the log's foreign key), one
  // after the other, so it can meet the timer poller's batch of escalations locking the same disputes
  // in another order in a deadlock: a read, it is taken again rather than answered "concurrent update".
  return viewer ? retryOnConflict(() => withTransaction(pool, read)) : read(pool);
}
