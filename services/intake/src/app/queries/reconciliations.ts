import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { reconciliationViewOf, type ReconciliationView } from "../reconciliation-views.ts";
import type { PermittedContext } from "../request-context.ts";

/** A store's reconciliations whose periods start in [from, until), newest period first, from billing. */
export async function listReconciliations(
  deps: SettlementDeps,
  context: PermittedContext<"view-reconciliations">,
  storeId: string,
  period: { from: string; until: string },
): Promise<{ reconciliations: ReconciliationView[] }> {
  const listed = await deps.billing.listReconciliations(storeId, period, context.correlationId);
  return { reconciliations: listed.reconciliations.map((run) => reconciliationViewOf(run, false)) };
}

/** One reconciliation with every difference it found, each as it now stands. */
export async function getReconciliation(deps: SettlementDeps, context: PermittedContext<"view-reconciliations">, reconciliationId: string): Promise<ReconciliationView> {
  return reconciliationViewOf(await deps.billing.getReconciliation(reconciliationId, context.correlationId));
}
