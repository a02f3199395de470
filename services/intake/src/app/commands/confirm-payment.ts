import type pg from "pg";
import type { BillingSettlements, ConfirmedPayment } from "../../adapters/grpc-clients/billing.ts";
import { settlementRefusalFor } from "../settlement-refusal.ts";
import { settlementViewOf, type SettlementView } from "../settlement-views.ts";
import type { PermittedContext } from "../request-context.ts";

export interface SettlementDeps {
  pool: pg.Pool;
  billing: BillingSettlements;
}

/**
 * A finance clerk confirms a payment received for the order (bank transfer, cheque,
 * platform). Billing takes each reference once and never more than is outstanding; the
 * payment that clears the order settles it.
 */
export async function confirmPayment(
  deps: SettlementDeps,
  context: PermittedContext<"confirm-payment">,
  orderId: string,
  payment: ConfirmedPayment,
): Promise<SettlementView> {
  try {
    return settlementViewOf(await deps.billing.confirmPayment(orderId, context.caller, payment, context.correlationId));
  } catch (error) {
    throw await settlementRefusalFor(deps.pool, orderId, error);
  }
}
