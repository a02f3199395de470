import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { rolesThatDecide, staffIn, type CaseCaller } from "../../domain/case-callers.ts";
import { decideCase, type CaseCommand } from "../../domain/case-decisions.ts";
import { evolveCaseBy, type AfterSalesCase } from "../../domain/case.ts";
import { caseAnnouncements } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { caseView } from "../case-views.ts";
import { followComplaintTimer } from "../complaint-timer.ts";

export interface CaseStepRequest {
  caseId: string;
  caller: afterSalesApi.Caller | undefined;
  correlationId: string;
}

/**
 * One decision of customer service on a case: the caller's role is checked, the case row
 * locked (two agents are taken one after the other), the domain decides, and the case, its
 * events (with the caller and the request's correlation id) and its timer are written in
 * one transaction. Returns the case as it now stands.
 */
export async function changeCase(
  deps: CaseDeps,
  request: CaseStepRequest,
  what: string,
  commandOf: (tx: pg.ClientBase, state: AfterSalesCase, caller: CaseCaller, now: Date) => Promise<CaseCommand> | CaseCommand,
): Promise<afterSalesApi.CaseView> {
  const caller = staffIn(request.caller, rolesThatDecide, what);
  // Trimmed as OpenCase stored it.
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const state = await caseRepository.lockById(tx, caseId);
      if (!state) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
      const now = deps.clock();
      const events = decideCase(await commandOf(tx, state, caller, now), state);
      const after = evolveCaseBy(state, events) ?? state;
      await caseRepository.save(tx, after);
      await deps.outbox.append(tx, caseAnnouncements(after, events, { actor: caller, correlationId: request.correlationId, now }));
      await followComplaintTimer(tx, after, events);
      return caseView(after);
    }),
  );
}
