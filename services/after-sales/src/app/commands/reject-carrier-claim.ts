import type { afterSalesApi } from "@oms/contracts";
import { rejectCarrierClaim as reject } from "../../domain/carrier-claim.ts";
import { rolesThatAnswerCarrierClaims } from "../../domain/case-callers.ts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCarrierClaim } from "./carrier-claim-step.ts";

/** The carrier refused a case's claim (CarrierClaimRejected), with its reason: recorded by the desk or by finance. */
export function rejectCarrierClaim(deps: CaseDeps, request: afterSalesApi.RejectCarrierClaimRequest): Promise<afterSalesApi.CaseView> {
  return changeCarrierClaim(deps, request, rolesThatAnswerCarrierClaims, "record the carrier's rejection of a claim", (_tx, state, caller, now) =>
    reject(state, { caller, reason: request.reason, now }),
  );
}
