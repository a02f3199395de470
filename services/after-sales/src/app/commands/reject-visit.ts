import type { afterSalesApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { assertOwnOrder, unknownCase, visitRejecterOf } from "../../domain/case-callers.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import type { AfterSalesCase } from "../../domain/case.ts";
import type { PastVisitRound } from "../../domain/case-visit.ts";
import { rejectVisit as reject, roundOpenedBy, type CaseWithRejectedVisit } from "../../domain/visit-rejection.ts";
import { visitRejectedAnnouncement } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { casesShown } from "../case-showings.ts";
import type { SealedWords } from "../sealed-words.ts";

/**
 * The customer says the repair did not fix it (ADR 025, rework addendum): under the case's row
 * lock (ordered with dispatch's news of the visit and the desk's steps), the visit goes back for
 * rework, the customer's reason sealed in the row and in VisitRejected, written in one
 * transaction; dispatch reopens the task on it. A customer rejects only on their own case. The
 * same rejection of the same round again by the same caller writes and announces nothing, however
 * far the next round went (ADR 025, twenty-sixth-session addendum). Returns the case as it now
 * stands, shown to the caller and logged as a showing, as a decision's answer is.
 */
export async function rejectVisit(deps: CaseDeps, request: afterSalesApi.RejectVisitRequest): Promise<afterSalesApi.CaseView> {
  const caller = visitRejecterOf(request.caller);
  // Trimmed as OpenCase stored it.
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const after = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const state = await caseRepository.lockById(tx, caseId);
      if (!state) throw unknownCase(caseId);
      if (caller.kind === "customer") assertOwnOrder(caller, (await orderFactsRepository.find(tx, state.orderId))?.customerId ?? "", () => unknownCase(caseId));
      const now = deps.clock();
      const ask = { caller, reason: request.reason, now, acceptanceHours: deps.visitAcceptanceHours, ...(request.round !== undefined ? { round: request.round } : {}) };
      const rejected = reject(withComparedReasonOpened(state, deps.words, request.round), ask);
      if (!rejected) return state;
      const sealed = withNewReasonSealed(rejected, state.visit?.pastRounds ?? [], deps.words);
      await caseRepository.recordVisit(tx, sealed);
      await deps.outbox.append(tx, [visitRejectedAnnouncement(sealed, { actor: caller, correlationId: request.correlationId, now })]);
      return sealed;
    }),
  );
  const [view] = await casesShown(deps.pool, deps.words, [after], viewerOf(caller, request.correlationId));
  return view!;
}

/**
 * The case with the one past rejection a retry is compared with opened (sealed bytes differ at
 * every sealing): the named round's, or — from a caller naming none — the last one.
 */
function withComparedReasonOpened(state: AfterSalesCase, words: SealedWords, round: number | undefined): AfterSalesCase {
  const visit = state.visit;
  const rounds = visit?.pastRounds;
  if (!visit || !rounds?.length) return state;
  const compared = round ?? rounds.at(-1)!.round;
  const opened = (r: PastVisitRound): PastVisitRound =>
    r.round !== compared ? r : { ...r, rejection: { ...r.rejection, reason: { clear: words.visitRejectionReasonOf(state.caseId, roundOpenedBy(r), r.rejection.reason) } } };
  return { ...state, visit: { ...visit, pastRounds: rounds.map(opened) } };
}

/** The new rejection's reason sealed, bound to the case and the round it opens; earlier rounds' exactly as stored (the one compared was opened). */
function withNewReasonSealed(c: CaseWithRejectedVisit, stored: readonly PastVisitRound[], words: SealedWords): CaseWithRejectedVisit {
  const last = c.visit.pastRounds.at(-1)!;
  if (!("clear" in last.rejection.reason)) throw new Error(`case ${c.caseId}'s new rejection came sealed: the domain decides on the words as asked`);
  const reason = { sealed: words.sealVisitRejectionReason(c.caseId, roundOpenedBy(last), last.rejection.reason.clear) };
  return { ...c, visit: { ...c.visit, pastRounds: [...stored, { ...last, rejection: { ...last.rejection, reason } }] } };
}
