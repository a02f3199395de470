import type { SettlementDeps } from "./confirm-payment.ts";
import type { PermittedContext } from "../request-context.ts";
import { settlementDisputeViewOf, type SettlementDisputeView } from "../settlement-dispute-views.ts";

/** A department involved in a dispute says what its records show; appended with who and when (billing checks the department is one of the dispute's). */
export async function addDisputeFinding(
  deps: SettlementDeps,
  context: PermittedContext<"add-dispute-finding">,
  disputeId: string,
  finding: { findingId: string; finding: string },
): Promise<SettlementDisputeView> {
  return settlementDisputeViewOf(await deps.billing.addDisputeFinding(disputeId, context.caller, finding, context.correlationId));
}
