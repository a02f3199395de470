import { NotFoundError } from "@oms/errors";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { customersOwnOrder } from "../own-order.ts";
import type { PermittedContext } from "../request-context.ts";
import { customersDisputeViewOf, settlementDisputeViewOf, type SettlementDisputeView } from "../settlement-dispute-views.ts";

/** An order's disputes, oldest first: staff read them whole, the order's customer their state and the answers they were given. */
export async function listOrderDisputes(deps: SettlementDeps, context: PermittedContext<"view-settlement-disputes">, orderId: string): Promise<{ disputes: SettlementDisputeView[] }> {
  const byCustomer = context.caller.kind === "customer";
  if (byCustomer) await customersOwnOrder(deps.pool, context.caller, orderId);
  const { disputes } = await deps.billing.listSettlementDisputes({ orderIds: [orderId], shownTo: context.caller }, context.correlationId);
  // Billing answers an order without disputes and one that does not exist alike; intake's record tells them apart.
  if (disputes.length === 0 && !byCustomer && !(await orderRepository.findById(deps.pool, orderId))) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  return { disputes: disputes.map(byCustomer ? customersDisputeViewOf : settlementDisputeViewOf) };
}

/**
 * Who was shown a dispute's statement, oldest first, a page at a time (ADR 026, showings addendum);
 * billing answers 404 for an unknown dispute and refuses a page token it did not give.
 */
export async function listDisputeDisclosures(
  deps: SettlementDeps,
  context: PermittedContext<"list-dispute-disclosures">,
  disputeId: string,
  page: { pageSize: number; pageToken: string },
): Promise<{ disputeId: string; disclosures: { shownTo: string; role: string; fields: string[]; at: string; correlationId: string }[]; nextPageToken?: string | undefined }> {
  const logged = await deps.billing.listDisputeDisclosures(disputeId, page, context.correlationId);
  return { disputeId: logged.disputeId, disclosures: logged.disclosures, nextPageToken: logged.nextPageToken || undefined };
}

/**
 * A page of a store's disputes, oldest first, optionally open or resolved only: finance's and the
 * store manager's worklist; `nextPageToken` continues it (absent on the last page). Billing refuses
 * a page token it did not give (400 naming pageToken).
 */
export async function listStoreDisputes(
  deps: SettlementDeps,
  context: PermittedContext<"list-store-settlement-disputes">,
  storeId: string,
  status: "open" | "resolved" | undefined,
  page: { pageSize: number; pageToken: string },
): Promise<{ disputes: SettlementDisputeView[]; nextPageToken?: string }> {
  const listed = await deps.billing.listSettlementDisputes({ storeId, status, shownTo: context.caller, page }, context.correlationId);
  const disputes = listed.disputes.map(settlementDisputeViewOf);
  return listed.nextPageToken ? { disputes, nextPageToken: listed.nextPageToken } : { disputes };
}
