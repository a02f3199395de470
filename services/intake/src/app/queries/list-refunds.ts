import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { refundRefusalFor } from "../settlement-refusal.ts";
import type { PermittedContext } from "../request-context.ts";
import { refundsViewOf, type RefundsView } from "../refund-views.ts";

/** What was paid on the order and every refund of it (cancellation, finance, substitution, after-sales), from billing. */
export async function listRefunds(deps: SettlementDeps, context: PermittedContext<"list-refunds">, orderId: string): Promise<RefundsView> {
  try {
    return refundsViewOf(await deps.billing.listRefunds(orderId, context.correlationId));
  } catch (error) {
    throw await refundRefusalFor(deps.pool, orderId, error);
  }
}
