import type { DisputeResolution } from "../../adapters/grpc-clients/billing.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import type { PermittedContext } from "../request-context.ts";
import { settlementDisputeViewOf, type SettlementDisputeView } from "../settlement-dispute-views.ts";

/**
 * Finance resolves a dispute once: upheld with a refund (billing issues it through its refund
 * path; an invoiced order's gets a credit note) or an invoice document, or rejected with the
 * reason; what the customer is told is kept with it.
 */
export async function resolveSettlementDispute(
  deps: SettlementDeps,
  context: PermittedContext<"resolve-settlement-dispute">,
  disputeId: string,
  resolution: DisputeResolution,
): Promise<SettlementDisputeView> {
  const resolved = await deps.billing.resolveSettlementDispute(disputeId, context.caller, resolution, context.correlationId);
  context.logger.info({ orderId: resolved.orderId, disputeId, outcome: resolution.outcome }, "settlement dispute resolved");
  return settlementDisputeViewOf(resolved);
}
