import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { reconciliationViewOf, type ReconciliationView } from "../reconciliation-views.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A page of a store's reconciliations whose periods start in [from, until), newest period first,
 * from billing; `nextPageToken` continues the list (absent on the last page). Billing refuses a
 * page token it did not give (400 naming pageToken).
 */
export async function listReconciliations(
  deps: SettlementDeps,
  context: PermittedContext<"view-reconciliations">,
  storeId: string,
  query: { from: string; until: string; pageSize?: number | undefined; pageToken?: string | undefined },
): Promise<{ reconciliations: ReconciliationView[]; nextPageToken?: string }> {
  const listed = await deps.billing.listReconciliations(
    storeId,
    { from: query.from, until: query.until, pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "" },
    context.correlationId,
  );
  const reconciliations = listed.reconciliations.map((run) => reconciliationViewOf(run, false));
  return listed.nextPageToken ? { reconciliations, nextPageToken: listed.nextPageToken } : { reconciliations };
}

/** One reconciliation with every difference it found, each as it now stands. */
export async function getReconciliation(deps: SettlementDeps, context: PermittedContext<"view-reconciliations">, reconciliationId: string): Promise<ReconciliationView> {
  return reconciliationViewOf(await deps.billing.getReconciliation(reconciliationId, context.correlationId));
}
