import type { afterSalesApi } from "@oms/contracts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCase } from "./change-case.ts";

/** Customer service declines an open case with an explanation the customer is told; a complaint's wait for an answer ends. */
export function declineCase(deps: CaseDeps, request: afterSalesApi.DeclineCaseRequest): Promise<afterSalesApi.CaseView> {
  return changeCase(deps, request, "decline a case", (_tx, _state, caller, now) => ({ type: "DeclineCase", caller, explanation: request.explanation, now }), { endsComplaintWait: true });
}
