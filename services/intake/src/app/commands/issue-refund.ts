import type { RefundGrant } from "../../adapters/grpc-clients/billing.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import { refundRefusalFor } from "../settlement-refusal.ts";
import type { PermittedContext } from "../request-context.ts";
import { refundsViewOf, type RefundsView } from "../refund-views.ts";

/**
 * A finance clerk returns part (or the rest) of the money taken on an order. Billing keeps
 * the order's refunds within what was paid, and takes each reference once, so a retry
 * after a timeout refunds nothing more.
 */
export async function issueRefund(deps: SettlementDeps, context: PermittedContext<"issue-refund">, orderId: string, refund: RefundGrant): Promise<RefundsView> {
  try {
    return refundsViewOf(await deps.billing.issueRefund(orderId, context.caller, refund, context.correlationId));
  } catch (error) {
    throw await refundRefusalFor(deps.pool, orderId, error);
  }
}
