import type { afterSalesApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { assertOwnOrder, unknownCase, visitRejecterOf } from "../../domain/case-callers.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import type { AfterSalesCase } from "../../domain/case.ts";
import { awaitsRoundReport, rejectVisit as reject, roundOpenedBy, type CaseWithRejectedVisit } from "../../domain/visit-rejection.ts";
import { visitRejectedAnnouncement } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { casesShown } from "../case-showings.ts";
import type { SealedWords } from "../sealed-words.ts";

/**
 * The customer says the repair did not fix it (ADR 025, rework addendum): under the case's row
 * lock (ordered with dispatch's news of the visit and the desk's steps), the visit goes back for
 * rework, the customer's reason sealed in the row and in VisitRejected, written in one
 * transaction; dispatch reopens the task on it. A customer rejects only on their own case. The
 * same rejection again by the same caller writes and announces nothing. Returns the case as it
 * now stands, shown to the caller and logged as a showing, as a decision's answer is.
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
      const rejected = reject(withLastReasonOpened(state, deps.words), { caller, reason: request.reason, now, acceptanceHours: deps.visitAcceptanceHours });
      if (!rejected) return state;
      const sealed = withLastReasonSealed(rejected, deps.words);
      await caseRepository.recordVisit(tx, sealed);
      await deps.outbox.append(tx, [visitRejectedAnnouncement(sealed, { actor: caller, correlationId: request.correlationId, now })]);
      return sealed;
    }),
  );
  const [view] = await casesShown(deps.pool, deps.words, [after], viewerOf(caller, request.correlationId));
  return view!;
}

/** A visit whose rejected round's successor awaits its report, with its last rejection's reason opened, so a retry is compared with the words it holds (sealed bytes differ at every sealing). */
function withLastReasonOpened(state: AfterSalesCase, words: SealedWords): AfterSalesCase {
  const visit = state.visit;
  const last = visit?.pastRounds?.at(-1);
  if (!visit || !awaitsRoundReport(visit) || !last) return state;
  const reason = { clear: words.visitRejectionReasonOf(state.caseId, roundOpenedBy(last), last.rejection.reason) };
  return { ...state, visit: { ...visit, pastRounds: [...visit.pastRounds!.slice(0, -1), { ...last, rejection: { ...last.rejection, reason } }] } };
}

/** The new rejection's reason sealed, bound to the case and the round it opens; earlier rounds' stay as stored. */
function withLastReasonSealed(c: CaseWithRejectedVisit, words: SealedWords): CaseWithRejectedVisit {
  const rounds = c.visit.pastRounds;
  const last = rounds.at(-1)!;
  if (!("clear" in last.rejection.reason)) throw new Error(`case ${c.caseId}'s new rejection came sealed: the domain decides on the words as asked`);
  const reason = { sealed: words.sealVisitRejectionReason(c.caseId, roundOpenedBy(last), last.rejection.reason.clear) };
  return { ...c, visit: { ...c.visit, pastRounds: [...rounds.slice(0, -1), { ...last, rejection: { ...last.rejection, reason } }] } };
}
