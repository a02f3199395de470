import type { afterSalesApi } from "@oms/contracts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCase } from "./change-case.ts";

/** Customer service takes an open case on and names who handles it. */
export function acceptCase(deps: CaseDeps, request: afterSalesApi.AcceptCaseRequest): Promise<afterSalesApi.CaseView> {
  return changeCase(deps, request, "accept a case", (_tx, _state, caller, now) => ({ type: "AcceptCase", caller, assigneeStaffId: request.assigneeStaffId, note: request.note, now }));
}
