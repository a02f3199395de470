import type { afterSalesApi } from "@oms/contracts";
import { carrierClaimRepository } from "../../adapters/pg/carrier-claim-repository.ts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { fileCarrierClaim as file } from "../../domain/carrier-claim.ts";
import { rolesThatDecide } from "../../domain/case-callers.ts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCarrierClaim } from "./carrier-claim-step.ts";

/**
 * A case resolved with cause "carrier" claimed against the carrier (CarrierClaimFiled), by
 * the desk who resolved it. The order's facts are locked after the case, as resolving does,
 * so two of its cases are claimed one after the other and together stay within its total.
 */
export function fileCarrierClaim(deps: CaseDeps, request: afterSalesApi.FileCarrierClaimRequest): Promise<afterSalesApi.CaseView> {
  return changeCarrierClaim(deps, request, rolesThatDecide, "file a claim against the carrier", async (tx, state, caller, now) => {
    const facts = await orderFactsRepository.lock(tx, state.orderId);
    const claimedByOtherCases = await carrierClaimRepository.claimedByOtherCases(tx, state.orderId, state.caseId);
    return file(state, {
      caller,
      carrier: request.carrier,
      carrierReference: request.carrierReference,
      amountMinor: request.amountMinor,
      order: { grandTotalMinor: facts?.grandTotalMinor ?? 0, currency: facts?.currency ?? "", claimedByOtherCases },
      now,
    });
  });
}
