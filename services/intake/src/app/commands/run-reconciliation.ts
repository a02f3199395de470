import type { SettlementDeps } from "./confirm-payment.ts";
import { reconciliationViewOf, type ReconciliationView } from "../reconciliation-views.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A finance clerk reconciles a store's money against its orders over a period (ADR 023).
 * Billing owns it: it asks fulfillment for the period's orders, records every difference
 * and answers the run; the clerk's request id makes a retry answer the same run.
 */
export async function runReconciliation(
  deps: SettlementDeps,
  context: PermittedContext<"run-reconciliation">,
  storeId: string,
  run: { from: string; until: string; requestId: string },
): Promise<ReconciliationView> {
  return reconciliationViewOf(await deps.billing.runReconciliation(storeId, context.caller, run, context.correlationId));
}
