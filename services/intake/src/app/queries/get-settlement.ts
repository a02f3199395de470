import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { settlementRefusalFor } from "../settlement-refusal.ts";
import type { PermittedContext } from "../request-context.ts";
import { settlementViewOf, type SettlementView } from "../settlement-views.ts";

/** What the order owes and what has been paid, from billing; an order is settled once assigned. */
export async function getSettlement(deps: SettlementDeps, context: PermittedContext<"view-settlement">, orderId: string): Promise<SettlementView> {
  try {
    return settlementViewOf(await deps.billing.getSettlement(orderId, context.correlationId));
  } catch (error) {
    throw await settlementRefusalFor(deps.pool, orderId, error);
  }
}
