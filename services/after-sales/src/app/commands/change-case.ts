import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { rolesThatDecide, staffIn, type CaseCaller } from "../../domain/case-callers.ts";
import { decideCase, type CaseCommand } from "../../domain/case-decisions.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import { evolveCaseBy, type AfterSalesCase } from "../../domain/case.ts";
import { caseAnnouncements } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { casesShown } from "../case-showings.ts";
import { callOffComplaintTimer } from "../complaint-timer.ts";

export interface CaseStepRequest {
  caseId: string;
  caller: afterSalesApi.Caller | undefined;
  correlationId: string;
}

export interface CaseStepOptions {
  /** The step ends a complaint's wait for its answer (an answer, a decline): its timer is called off. */
  endsComplaintWait?: boolean;
}

/**
 * One decision of customer service on a case: the caller's role is checked, the case row
 * locked (two agents are taken one after the other), the domain decides, and the case and
 * its events (with the caller and the request's correlation id) are written in one
 * transaction. A repeat of a step the case already took (a retry after a lost answer)
 * writes and publishes nothing. Returns the case as it now stands, its description shown to
 * the caller and logged as a showing (ADR 017, showings addendum).
 */
export async function changeCase(
  deps: CaseDeps,
  request: CaseStepRequest,
  what: string,
  commandOf: (tx: pg.ClientBase, state: AfterSalesCase, caller: CaseCaller, now: Date) => Promise<CaseCommand> | CaseCommand,
  options: CaseStepOptions = {},
): Promise<afterSalesApi.CaseView> {
  const caller = staffIn(request.caller, rolesThatDecide, what);
  // Trimmed as OpenCase stored it.
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const after = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      // Every path takes the complaint's timer row before the case row. The timer poller
      // claims due timer rows (FOR UPDATE SKIP LOCKED) and only then does its handler lock the
      // case; locking the case first here and cancelling the timer after would deadlock with it.
      // So the timer is called off before the case is read: if the poller holds the row, this
      // waits for it to commit and then reads the case it escalated (the answer is late); if
      // this holds it, the poller skips the row and, once this commits, never fires it. A step
      // refused below rolls the cancel back with everything else.
      if (options.endsComplaintWait) await callOffComplaintTimer(tx, caseId);
      const state = await caseRepository.lockById(tx, caseId);
      if (!state) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
      const now = deps.clock();
      const events = decideCase(await commandOf(tx, state, caller, now), state);
      if (events.length === 0) return state;
      const changed = evolveCaseBy(state, events) ?? state;
      await caseRepository.save(tx, changed);
      await deps.outbox.append(tx, caseAnnouncements(changed, events, { actor: caller, correlationId: request.correlationId, now }));
      return changed;
    }),
  );
  // Opened once the step is written, so words no held key opens (shown empty) never fail the
  // step; the showing is logged before the answer leaves. Should that insert fail, the step
  // stands and the caller is answered an error: a retry takes the case as it stands and logs it then.
  const [view] = await casesShown(deps.pool, deps.words, [after], viewerOf(caller, request.correlationId));
  return view!;
}
