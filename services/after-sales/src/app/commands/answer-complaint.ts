import type { afterSalesApi } from "@oms/contracts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCase } from "./change-case.ts";

/** The answer to a complaint, once; after its respond-by time it is recorded as late. Its timer is called off. */
export function answerComplaint(deps: CaseDeps, request: afterSalesApi.AnswerComplaintRequest): Promise<afterSalesApi.CaseView> {
  return changeCase(deps, request, "answer a complaint", (_tx, _state, caller, now) => ({ type: "AnswerComplaint", caller, answer: request.answer, now }), { endsComplaintWait: true });
}
