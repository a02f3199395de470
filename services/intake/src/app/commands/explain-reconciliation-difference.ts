import type { DifferenceExplanation } from "../../adapters/grpc-clients/billing.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import { reconciliationViewOf, type ReconciliationView } from "../reconciliation-views.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A finance clerk explains a difference a reconciliation found and says how it was corrected
 * (DOMAIN.md: every difference is explained and corrected). Appended, never changed; the
 * clerk's explanation id makes a retry harmless. Answers the reconciliation as it now stands.
 */
export async function explainReconciliationDifference(
  deps: SettlementDeps,
  context: PermittedContext<"explain-reconciliation-difference">,
  reconciliationId: string,
  differenceId: string,
  explanation: DifferenceExplanation,
): Promise<ReconciliationView> {
  return reconciliationViewOf(await deps.billing.explainDifference(reconciliationId, differenceId, context.caller, explanation, context.correlationId));
}
