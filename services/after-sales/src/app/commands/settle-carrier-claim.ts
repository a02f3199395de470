import type { afterSalesApi } from "@oms/contracts";
import { settleCarrierClaim as settle } from "../../domain/carrier-claim.ts";
import { rolesThatAnswerCarrierClaims } from "../../domain/case-callers.ts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCarrierClaim } from "./carrier-claim-step.ts";

/** The carrier paid a case's claim, in full or in part (CarrierClaimSettled): recorded by the desk or by finance, who see the money arrive. */
export function settleCarrierClaim(deps: CaseDeps, request: afterSalesApi.SettleCarrierClaimRequest): Promise<afterSalesApi.CaseView> {
  return changeCarrierClaim(deps, request, rolesThatAnswerCarrierClaims, "record the carrier's settlement of a claim", (_tx, state, caller, now) =>
    settle(state, { caller, recoveredMinor: request.recoveredMinor, now }),
  );
}
