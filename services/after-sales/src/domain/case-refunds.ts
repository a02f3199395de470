/**
 * The money that went back for a resolved case (ADR 017, addendum). After-sales names the
 * refund on the resolution; billing pays it out of what it still holds of the order and
 * announces each refund (RefundIssued under "after-sales:<caseId>") and, when it paid less
 * than named, the shortfall (CaseRefundShortfall). The case keeps both, so the agent who
 * promised the money and finance who settles the rest see it. Pure.
 */
import { IllegalStateError } from "@oms/errors";
import type { AfterSalesCase } from "./case.ts";

/** One of billing's refunds for the case. The caller counts each refund id once. */
export interface CaseRefund {
  refundId: string;
  amountMinor: number;
  at: Date;
}

/** Billing's word that the case got less than it named, and why. */
export interface RefundShortfall {
  requestedMinor: number;
  refundedMinor: number;
  reason: string;
  at: Date;
}

function assertRefundable(state: AfterSalesCase, what: string): void {
  if (state.status !== "resolved" || state.refundMinor <= 0) {
    throw new IllegalStateError("after-sales.no-refund-named", `billing announced ${what} for case ${state.caseId}, a ${state.status} case naming no money back`);
  }
}

/** The case with one more of its refunds counted. Only a resolved case that named money back is refunded. */
export function recordCaseRefund(state: AfterSalesCase, refund: CaseRefund): AfterSalesCase {
  assertRefundable(state, `refund ${refund.refundId}`);
  return { ...state, refundedMinor: state.refundedMinor + refund.amountMinor };
}

/**
 * The case with billing's shortfall on it, or undefined when it already has one: billing
 * announces a case's shortfall once, so another is a copy and the first stands.
 */
export function recordRefundShortfall(state: AfterSalesCase, shortfall: RefundShortfall): AfterSalesCase | undefined {
  assertRefundable(state, "a refund shortfall");
  if (state.refundShortfall) return undefined;
  return { ...state, refundShortfall: { ...shortfall } };
}
