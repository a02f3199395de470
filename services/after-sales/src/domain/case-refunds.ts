/**
 * The money that went back for a resolved case (ADR 017, addendum). After-sales names the
 * refund on the resolution; billing pays it out of what it still holds of the order and
 * announces each refund (RefundIssued under "after-sales:<caseId>") and, when it paid less
 * than named, the shortfall (CaseRefundShortfall). The case keeps both, so the agent who
 * promised the money and finance who settles the rest see it; finance's settlement, once
 * recorded, takes the case off the worklist. Pure.
 */
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { callerLabel, type CaseCaller } from "./case-callers.ts";
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
  /** Finance's word that it settled the rest by hand; the shortfall is off the worklist from then on. */
  settlement?: ShortfallSettlement;
}

/** How finance settled the rest of a shortfall: when, who ("<kind>:<id>"), under which reference of its own, and a note. */
export interface ShortfallSettlement {
  at: Date;
  by: string;
  reference: string;
  note: string;
}

export const maxSettlementReferenceLength = 100;
export const maxSettlementNoteLength = 500;

/** Finance settles a case's shortfall (the caller's role was checked by `staffIn`). */
export interface SettleRefundShortfall {
  caller: CaseCaller;
  reference: string;
  note: string;
  now: Date;
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

/**
 * The case with its shortfall settled by finance, or undefined when it is settled under the
 * same reference already (a retry after a lost answer: the case is answered as it stands).
 * Another reference on a settled shortfall is refused, not written over: finance settled it
 * once, and a second settlement would be money going back twice. A case without a shortfall
 * has nothing to settle.
 */
export function settleRefundShortfall(state: AfterSalesCase, command: SettleRefundShortfall): AfterSalesCase | undefined {
  const fields: FieldError[] = [];
  const reference = command.reference.trim();
  if (!reference) fields.push({ field: "reference", message: "is required: finance's reference for how the rest went back" });
  else if (reference.length > maxSettlementReferenceLength) fields.push({ field: "reference", message: `must be at most ${maxSettlementReferenceLength} characters` });
  const note = command.note.trim();
  if (note.length > maxSettlementNoteLength) fields.push({ field: "note", message: `must be at most ${maxSettlementNoteLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields);
  const shortfall = state.refundShortfall;
  if (!shortfall) throw new IllegalStateError("after-sales.no-refund-shortfall", `case ${state.caseId} has no refund shortfall to settle`);
  const settled = shortfall.settlement;
  if (settled?.reference === reference) return undefined;
  if (settled) {
    throw new IllegalStateError(
      "after-sales.shortfall-already-settled",
      `the refund shortfall of case ${state.caseId} was settled under ${settled.reference} at ${settled.at.toISOString()}`,
    );
  }
  return { ...state, refundShortfall: { ...shortfall, settlement: { at: command.now, by: callerLabel(command.caller), reference, note } } };
}
