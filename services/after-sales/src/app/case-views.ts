import type { afterSalesApi } from "@oms/contracts";
import { followUpByOf, type CarrierClaim } from "../domain/carrier-claim.ts";
import { goodsOutstanding } from "../domain/case-returned-goods.ts";
import { roundOf, type CaseVisit } from "../domain/case-visit.ts";
import type { AfterSalesCase } from "../domain/case.ts";
import type { Policy } from "../domain/policy.ts";
import type { SealedWords } from "./sealed-words.ts";

/**
 * A case as the contract carries it: times as ISO strings, absent ones empty; the refund's
 * shortfall absent unless billing announced one. The customer's description is opened here
 * for the one who just wrote it (an opening and its retry, which carries the same words): an
 * echo, not a showing. Views that show it to others go through `casesShown`
 * (case-showings.ts), which logs each showing. A description no key of this process opens (a
 * key removed too early) is shown empty, as billing shows such a dispute statement: the case
 * still reads, lists and answers its steps.
 */
export function caseView(c: AfterSalesCase, words: SealedWords): afterSalesApi.CaseView {
  // Only the opener's own words: a call-off reason (someone else's, on a retry long after) stays sealed.
  return caseViewOf(c, { description: words.shownDescriptionOf(c.caseId, c.description), goodsCalledOffReason: "" });
}

/** The sealed words of a case as a view opened them ("" for each left sealed). */
export interface OpenedCaseWords {
  description: string;
  goodsCalledOffReason: string;
  /** The reasons the customer rejected the visit's past rounds with, oldest first; absent or "" each left sealed. */
  visitRejectionReasons?: readonly string[];
}

/**
 * A case as finance, settling the rest of a short refund, is answered with: the money and the
 * case, not the customer's words, which are left sealed (`description` empty), nor the desk's
 * sealed call-off reason.
 */
export function caseViewWithoutWords(c: AfterSalesCase): afterSalesApi.CaseView {
  return caseViewOf(c, { description: "", goodsCalledOffReason: "" });
}

/** A case as the contract carries it, with its sealed words as the caller opened them (or "" to leave them sealed). */
export function caseViewOf(c: AfterSalesCase, { description, goodsCalledOffReason, visitRejectionReasons = [] }: OpenedCaseWords): afterSalesApi.CaseView {
  return {
    caseId: c.caseId,
    orderId: c.orderId,
    storeId: c.storeId,
    kind: c.kind,
    channel: c.channel,
    description,
    lines: c.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    status: c.status,
    openedBy: c.openedBy,
    openedAt: c.openedAt.toISOString(),
    withinPolicy: c.withinPolicy,
    policyNote: c.policyNote,
    assigneeStaffId: c.assigneeStaffId ?? "",
    decidedBy: c.decidedBy ?? "",
    decidedAt: c.decidedAt?.toISOString() ?? "",
    decisionNote: c.decisionNote ?? "",
    respondBy: c.respondBy?.toISOString() ?? "",
    answeredAt: c.answeredAt?.toISOString() ?? "",
    answer: c.answer ?? "",
    escalated: !!c.escalatedAt,
    resolution: c.resolution ?? "",
    cause: c.cause ?? "",
    refundMinor: c.refundMinor,
    refundedMinor: c.refundedMinor,
    refundShortfall: c.refundShortfall && {
      requestedMinor: c.refundShortfall.requestedMinor,
      refundedMinor: c.refundShortfall.refundedMinor,
      reason: c.refundShortfall.reason,
      at: c.refundShortfall.at.toISOString(),
      settledAt: c.refundShortfall.settlement?.at.toISOString() ?? "",
      settledBy: c.refundShortfall.settlement?.by ?? "",
      settledReference: c.refundShortfall.settlement?.reference ?? "",
      settledNote: c.refundShortfall.settlement?.note ?? "",
    },
    resolvedBy: c.resolvedBy ?? "",
    resolvedAt: c.resolvedAt?.toISOString() ?? "",
    goodsRestocked: c.goodsRestocked,
    goodsWrittenOff: c.goodsWrittenOff,
    goodsOutstanding: goodsOutstanding(c),
    goodsReceivedAt: c.goodsReceivedAt?.toISOString() ?? "",
    goodsCalledOffAt: c.goodsCalledOff?.at.toISOString() ?? "",
    goodsCalledOffReason,
    replacementStatus: c.replacement?.status ?? "",
    replacementCarrier: c.replacement?.carrier ?? "",
    replacementTrackingNumber: c.replacement?.trackingNumber ?? "",
    replacementAt: c.replacement?.at.toISOString() ?? "",
    replacementExpectedRestockDate: c.replacement?.expectedRestockDate ?? "",
    replacementStoreId: c.replacement ? (c.replacement.storeId ?? c.storeId) : "",
    replacementPickedAt: c.replacement?.pickedAt?.toISOString() ?? "",
    replacementPackedAt: c.replacement?.packedAt?.toISOString() ?? "",
    replacementLate: c.replacement?.late && {
      since: c.replacement.late.since.toISOString(),
      dueAt: c.replacement.late.dueAt.toISOString(),
      level: c.replacement.late.level,
      responsibleRole: c.replacement.late.responsibleRole,
      escalatedToRole: c.replacement.late.escalatedToRole,
      // The row's step as read (repository: NULL, flagged before the steps, reads "ship").
      step: c.replacement.late.step,
    },
    ...visitView(c.visit),
    ...visitRoundsView(c.visit, visitRejectionReasons),
    carrierClaim: c.carrierClaim && carrierClaimView(c.carrierClaim),
  };
}

/** The case's claim against the carrier (ADR 017, carrier-claim addendum): who is chased by when while it is filed, what came back or why not. */
/** A claim as the contract carries it, in the case view and the store's list of claims. */
export function carrierClaimView(claim: CarrierClaim): afterSalesApi.CarrierClaimView {
  return {
    status: claim.status,
    carrier: claim.carrier,
    carrierReference: claim.carrierReference,
    claimedMinor: claim.claimedMinor,
    currency: claim.currency,
    filedAt: claim.filedAt.toISOString(),
    filedBy: claim.filedBy,
    followUpBy: followUpByOf(claim)?.toISOString() ?? "",
    recoveredMinor: claim.recoveredMinor ?? 0,
    rejectionReason: claim.rejectionReason ?? "",
    closedAt: claim.closedAt?.toISOString() ?? "",
    closedBy: claim.closedBy ?? "",
  };
}

/** The case's visit as the contract carries it (ADR 025): empty strings for a case without one, or what has not happened. */
function visitView(visit: CaseVisit | undefined) {
  const iso = (d: Date | undefined) => d?.toISOString() ?? "";
  return {
    visitTaskId: visit?.taskId ?? "",
    visitStatus: visit?.status ?? "",
    visitStaffId: visit?.staffId ?? "",
    visitAppointmentFrom: iso(visit?.appointmentFrom),
    visitAppointmentUntil: iso(visit?.appointmentUntil),
    visitDoneAt: iso(visit?.doneAt),
    visitDoneBy: visit?.doneBy ?? "",
    visitSummary: visit?.summary ?? "",
    visitQueuedReason: visit?.queuedReason ?? "",
    visitExceptions: (visit?.exceptions ?? []).map((e) => ({
      exceptionId: e.exceptionId,
      kind: e.kind,
      cause: e.cause,
      measure: e.measure,
      newTime: iso(e.newTime),
      reportedAt: iso(e.reportedAt),
      staffId: e.staffId,
    })),
  };
}

/**
 * The visit's rounds (ADR 025, rework addendum): each past round with its report and the
 * customer's rejection (its reason as the view opened it), then the round under way with its
 * report once it is in. A case without a visit has none.
 */
function visitRoundsView(visit: CaseVisit | undefined, reasons: readonly string[]): Pick<afterSalesApi.CaseView, "visitRound" | "visitRounds"> {
  if (!visit) return { visitRound: 0, visitRounds: [] };
  const iso = (d: Date | undefined) => d?.toISOString() ?? "";
  const past = (visit.pastRounds ?? []).map((r, i) => ({
    round: r.round,
    reportedAt: iso(r.report.at),
    reportedBy: r.report.by,
    summary: r.report.summary,
    rejectedAt: iso(r.rejection.at),
    rejectedBy: r.rejection.by,
    rejectionReason: reasons[i] ?? "",
  }));
  const current = { round: roundOf(visit), reportedAt: iso(visit.doneAt), reportedBy: visit.doneBy ?? "", summary: visit.summary ?? "", rejectedAt: "", rejectedBy: "", rejectionReason: "" };
  return { visitRound: roundOf(visit), visitRounds: [...past, current] };
}

/**
 * A policy as the contract carries it. The wire's hours are whole: a chain default set to a
 * fraction of an hour (tests only) is shown rounded up, never as 0.
 */
export function policyView(policy: Policy): afterSalesApi.Policy {
  return {
    storeId: policy.storeId,
    warrantyDays: policy.warrantyDays,
    returnDays: policy.returnDays,
    complaintResponseHours: Math.ceil(policy.complaintResponseHours),
    kinds: [...policy.kinds],
    process: policy.process,
    liability: policy.liability,
    updatedAt: policy.updatedAt?.toISOString() ?? "",
    updatedBy: policy.updatedBy ?? "",
  };
}
