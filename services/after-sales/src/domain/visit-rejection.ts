/**
 * A repair the customer says did not fix it (DOMAIN.md, Delivery and acceptance: the customer
 * accepts a service within an acceptance period, "or rejects with reasons, which sends it to
 * rework and a new report"; ADR 025, rework addendum). Once the visit's report is in and while
 * the case is not resolved, the customer — or the desk recording it for them — rejects it with
 * a reason within the acceptance period after the report; the visit goes back for rework, a new
 * round, and waits for that round's report. A rejection names the round whose report it
 * rejects (ADR 025, twenty-sixth-session addendum), so the same rejection again by the same caller
 * (a retry after a lost answer, however late) is answered as it stands — `rejectVisit` returns
 * undefined then and nothing is written or announced — and never throws away a later round's
 * report. Pure: the caller was checked before the case was locked.
 */
import { IllegalStateError, ValidationError } from "@oms/errors";
import { callerLabel, type CaseCaller } from "./case-callers.ts";
import { isVisitedKind, roundOf, visitIsOver, type CaseVisit, type PastVisitRound } from "./case-visit.ts";
import type { AfterSalesCase } from "./case.ts";
import { clearTextOf } from "./customer-words.ts";
import { maxTextLength } from "./policy.ts";

const hour = 3600_000;

export interface RejectVisit {
  caller: CaseCaller;
  /** Why it is not fixed, in the customer's words. */
  reason: string;
  now: Date;
  /** How long after the report the customer may reject it (the chain's service acceptance period). */
  acceptanceHours: number;
  /**
   * The round whose report is rejected, as the caller read it on the case. Absent from callers
   * before rounds were named: the report in now (`roundAsked`).
   */
  round?: number;
}

export type CaseWithRejectedVisit = AfterSalesCase & { visit: CaseVisit & { status: "rework"; round: number; pastRounds: PastVisitRound[] } };

/** Until when the visit's report may be rejected: the acceptance period after the report; undefined before one. */
export function rejectableUntil(visit: CaseVisit, acceptanceHours: number): Date | undefined {
  return visit.status === "done" && visit.doneAt ? new Date(visit.doneAt.getTime() + acceptanceHours * hour) : undefined;
}

/** The round a rejection of the visit's current report opens. */
export const nextRound = (visit: CaseVisit): number => roundOf(visit) + 1;

/**
 * A round a rejection opened whose report is still to come: in rework, or already taken on by
 * dispatch (assigned, scheduled, on site) — which happens moments after the rejection, so a
 * retry after a lost answer usually finds it so.
 */
export const awaitsRoundReport = (visit: CaseVisit): boolean => roundOf(visit) > 0 && !visitIsOver(visit);

/** The round a past round's rejection opened: its reason is sealed bound to it, as VisitRejected names it. */
export const roundOpenedBy = (past: PastVisitRound): number => past.round + 1;

/**
 * The round a rejection is about. Named by the caller; or, from callers that name none, the
 * round under way — except that the same words by the same caller as the rejection that opened
 * it are that rejection again: a retry arriving after the new round's report would otherwise
 * reject that report (a genuine second rejection in the very same words must name its round).
 */
export function roundAsked(visit: CaseVisit, ask: Pick<RejectVisit, "round">, isSameRejection: (past: PastVisitRound) => boolean): number {
  if (ask.round !== undefined) return ask.round;
  const last = visit.pastRounds?.at(-1);
  return last && isSameRejection(last) ? last.round : roundOf(visit);
}

/**
 * The case with its visit sent back for rework, the rejection's reason in the clear (the app
 * seals it before it is stored or announced); undefined when it repeats the rejection already
 * recorded for the round it names by the same caller with the same words (their stored reason
 * opened by the app), even once the case was resolved — a retry gets the answer it lost.
 * Refused: a case without a visit, a resolved case, a round not reported yet, a round already
 * rejected, a round whose report a later one superseded, and a report whose acceptance period
 * has ended.
 */
export function rejectVisit(state: AfterSalesCase, ask: RejectVisit): CaseWithRejectedVisit | undefined {
  const reason = ask.reason.trim();
  if (!reason) throw new ValidationError([{ field: "reason", message: "is required: say what is still wrong" }]);
  if (reason.length > maxTextLength) throw new ValidationError([{ field: "reason", message: `must be at most ${maxTextLength} characters` }]);
  if (ask.round !== undefined && (!Number.isInteger(ask.round) || ask.round < 0)) throw new ValidationError([{ field: "round", message: "must be a round of the visit: 0 or more" }]);
  const visit = state.visit;
  if (!isVisitedKind(state.kind) || !visit) throw new IllegalStateError("after-sales.no-visit", `case ${state.caseId} is a ${state.status} ${state.kind}: it has no visit to reject`);
  const by = callerLabel(ask.caller);
  const isSameRejection = (past: PastVisitRound) => past.rejection.by === by && clearTextOf(past.rejection.reason, "the rejection's reason") === reason;
  const round = roundAsked(visit, ask, isSameRejection);
  const current = roundOf(visit);
  // A retry whose answer was lost is answered as it stands even if the desk resolved the case since.
  if (round < current && isRecorded(visit, round, isSameRejection)) return undefined;
  if (state.status === "resolved") throw new IllegalStateError("after-sales.case-resolved", `case ${state.caseId} was resolved: its visit can no longer be rejected`);
  if (round < current) throw refusedAsRejectedBefore(state, visit, round);
  if (round > current) throw new IllegalStateError("after-sales.visit-not-reported", `the visit of case ${state.caseId} is in round ${current}: round ${round} has no report to reject`);
  if (awaitsRoundReport(visit)) {
    // A caller naming no round meant the report they last read: the one rejected already.
    if (ask.round === undefined) throw alreadyRejected(state, visit);
    throw new IllegalStateError("after-sales.visit-not-reported", `round ${current} of the visit of case ${state.caseId} has no report yet`);
  }
  const until = rejectableUntil(visit, ask.acceptanceHours);
  if (!until) throw new IllegalStateError("after-sales.visit-not-reported", `the visit of case ${state.caseId} is ${visit.status}: there is no report to reject yet`);
  if (ask.now.getTime() > until.getTime()) {
    throw new IllegalStateError("after-sales.acceptance-period-over", `the acceptance period of the visit's report on case ${state.caseId} ended at ${until.toISOString()}`);
  }
  const { doneAt, doneBy, summary, reportId, staffId: _holder, appointmentFrom: _from, appointmentUntil: _until, queuedReason: _queued, ...kept } = visit;
  const rejected: PastVisitRound = {
    round: current,
    report: { at: doneAt!, by: doneBy ?? "", summary: summary ?? "", reportId: reportId ?? "" },
    rejection: { at: ask.now, by, reason: { clear: reason } },
  };
  // The new round is agreed, held and reported anew: its appointment, holder and report are still to come.
  return { ...state, visit: { ...kept, status: "rework", round: nextRound(visit), pastRounds: [...(visit.pastRounds ?? []), rejected] } };
}

/** Whether this very rejection of the round is recorded already (a retry). */
function isRecorded(visit: CaseVisit, round: number, isSameRejection: (past: PastVisitRound) => boolean): boolean {
  const past = visit.pastRounds?.find((r) => r.round === round);
  return !!past && isSameRejection(past);
}

/** Another rejection naming a round already rejected: refused, saying why. */
function refusedAsRejectedBefore(state: AfterSalesCase, visit: CaseVisit, round: number): IllegalStateError {
  if (awaitsRoundReport(visit) && round === roundOf(visit) - 1) return alreadyRejected(state, visit);
  return new IllegalStateError(
    "after-sales.visit-report-superseded",
    `the report of round ${round} of case ${state.caseId} was rejected and superseded: the visit is in round ${roundOf(visit)}${visit.status === "done" ? ", whose report is the one to reject" : ""}`,
  );
}

function alreadyRejected(state: AfterSalesCase, visit: CaseVisit): IllegalStateError {
  return new IllegalStateError("after-sales.visit-already-rejected", `the report of round ${roundOf(visit) - 1} of case ${state.caseId} was already rejected: round ${roundOf(visit)}'s report is awaited`);
}
