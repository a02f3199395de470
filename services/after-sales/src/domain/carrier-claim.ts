/**
 * A claim against the carrier for goods it damaged (DOMAIN.md, After-sales: "carrier →
 * claim"; ADR 017, carrier-claim addendum). A case resolved with cause "carrier" may carry
 * one: filed naming the carrier, its reference and what is claimed, then settled with what
 * the carrier paid or rejected with its reason, once. A step repeated by the same caller with
 * the same content (a retry after a lost answer) is answered as it stands: each function
 * returns undefined then, and the caller writes and announces nothing. Pure: the caller's
 * role was checked by `staffIn` before the case was locked.
 */
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { callerLabel, type CaseCaller } from "./case-callers.ts";
import type { AfterSalesCase } from "./case.ts";
import { maxTextLength } from "./policy.ts";

export const carrierClaimStatuses = ["filed", "settled", "rejected"] as const;
export type CarrierClaimStatus = (typeof carrierClaimStatuses)[number];

export interface CarrierClaim {
  status: CarrierClaimStatus;
  carrier: string;
  /** The carrier's reference or tracking number; "" when not known. */
  carrierReference: string;
  claimedMinor: number;
  /** The order's currency: the claim is for the goods of that order. */
  currency: string;
  filedAt: Date;
  /** "<kind>:<id>" of who filed it. */
  filedBy: string;
  /** Settled: what the carrier paid (0 < recovered ≤ claimed). */
  recoveredMinor?: number;
  /** Rejected: the carrier's reason. */
  rejectionReason?: string;
  /** When, and by whom, the settlement or the rejection was recorded. */
  closedAt?: Date;
  closedBy?: string;
}

export type CaseWithCarrierClaim = AfterSalesCase & { carrierClaim: CarrierClaim };

export const maxCarrierLength = 100;
export const maxCarrierReferenceLength = 100;
/**
 * A filed claim the carrier has not answered after this many days is to be chased. A fixed
 * chain-wide figure (ADR 017's addendum says why it is not a store's policy setting).
 */
export const carrierClaimFollowUpDays = 30;
const day = 24 * 3600_000;

export interface FileCarrierClaim {
  caller: CaseCaller;
  carrier: string;
  carrierReference: string;
  amountMinor: number;
  /**
   * What the order cost and what its other cases claimed from carriers already (not counting
   * claims the carrier rejected, on which it owes nothing): the claim's bound. After-sales knows no finer value of the damaged goods (the order's lines carry no
   * prices here), and the carrier owes no more for one order than the order was worth.
   */
  order: { grandTotalMinor: number; currency: string; claimedByOtherCases: number };
  now: Date;
}

export interface SettleCarrierClaim {
  caller: CaseCaller;
  recoveredMinor: number;
  now: Date;
}

export interface RejectCarrierClaim {
  caller: CaseCaller;
  reason: string;
  now: Date;
}

/** When a claim still filed is to be chased; undefined once the carrier answered it. */
export function followUpByOf(claim: CarrierClaim): Date | undefined {
  return claim.status === "filed" ? new Date(claim.filedAt.getTime() + carrierClaimFollowUpDays * day) : undefined;
}

/**
 * A claim to chase: still filed, and its follow-up date has come (on the service's clock). The
 * store's list marks each claim by this, and narrows to them through `overdueFiledUpTo`.
 */
export function isCarrierClaimOverdue(claim: CarrierClaim, now: Date): boolean {
  const followUpBy = followUpByOf(claim);
  return followUpBy !== undefined && followUpBy.getTime() <= now.getTime();
}

/**
 * The latest filing time of a claim overdue now: a filed claim filed at or before it has come to
 * its follow-up date (isCarrierClaimOverdue, said as a bound on the filing so the list can ask
 * the database for exactly those, oldest first, within its limit).
 */
export function overdueFiledUpTo(now: Date): Date {
  return new Date(now.getTime() - carrierClaimFollowUpDays * day);
}

/**
 * The case with its claim filed, or undefined when the same caller filed the same claim
 * already. Only a case resolved with cause "carrier" is claimed for, and once: another
 * filing on a case that has one is refused, not written over (the carrier was sent one).
 */
export function fileCarrierClaim(state: AfterSalesCase, command: FileCarrierClaim): CaseWithCarrierClaim | undefined {
  const carrier = command.carrier.trim();
  const carrierReference = command.carrierReference.trim();
  const filed = state.carrierClaim;
  if (filed && filed.filedBy === callerLabel(command.caller) && filed.carrier === carrier && filed.carrierReference === carrierReference && filed.claimedMinor === command.amountMinor) {
    return undefined;
  }
  if (state.status !== "resolved") throw new IllegalStateError("after-sales.case-not-resolved", `case ${state.caseId} is ${state.status}; only a case resolved with cause carrier is claimed against the carrier`);
  if (state.cause !== "carrier") throw new IllegalStateError("after-sales.cause-not-carrier", `case ${state.caseId} was resolved with cause ${state.cause}; only damage the carrier caused is claimed against it`);
  if (filed) throw new IllegalStateError("after-sales.carrier-claim-already-filed", `a claim against ${filed.carrier} was filed for case ${state.caseId} at ${filed.filedAt.toISOString()}`);
  const fields: FieldError[] = [];
  if (!carrier) fields.push({ field: "carrier", message: "is required: name who carried the damaged goods (after-sales does not know the order's shipment)" });
  else if (carrier.length > maxCarrierLength) fields.push({ field: "carrier", message: `must be at most ${maxCarrierLength} characters` });
  if (carrierReference.length > maxCarrierReferenceLength) fields.push({ field: "carrierReference", message: `must be at most ${maxCarrierReferenceLength} characters` });
  const { grandTotalMinor, currency, claimedByOtherCases } = command.order;
  const claimable = Math.max(0, grandTotalMinor - claimedByOtherCases);
  if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) fields.push({ field: "amountMinor", message: "must be a whole number of minor units, more than 0" });
  else if (command.amountMinor > claimable) {
    fields.push({ field: "amountMinor", message: `must be at most ${claimable} ${currency}: the order's total of ${grandTotalMinor} less ${claimedByOtherCases} claimed by its other cases` });
  }
  if (fields.length > 0) throw new ValidationError(fields);
  const claim: CarrierClaim = { status: "filed", carrier, carrierReference, claimedMinor: command.amountMinor, currency, filedAt: command.now, filedBy: callerLabel(command.caller) };
  return { ...state, carrierClaim: claim };
}

/** The case with its claim settled for what the carrier paid, or undefined when the same caller recorded the same settlement already. */
export function settleCarrierClaim(state: AfterSalesCase, command: SettleCarrierClaim): CaseWithCarrierClaim | undefined {
  const claim = openClaimOf(state, command.caller, (c) => c.status === "settled" && c.recoveredMinor === command.recoveredMinor);
  if (!claim) return undefined;
  if (!Number.isSafeInteger(command.recoveredMinor) || command.recoveredMinor <= 0) {
    throw new ValidationError([{ field: "recoveredMinor", message: "must be a whole number of minor units, more than 0 (a carrier paying nothing rejected the claim)" }]);
  }
  if (command.recoveredMinor > claim.claimedMinor) {
    throw new ValidationError([{ field: "recoveredMinor", message: `must be at most ${claim.claimedMinor} ${claim.currency}: what was claimed` }]);
  }
  return { ...state, carrierClaim: { ...claim, status: "settled", recoveredMinor: command.recoveredMinor, closedAt: command.now, closedBy: callerLabel(command.caller) } };
}

/** The case with its claim rejected by the carrier, or undefined when the same caller recorded the same rejection already. */
export function rejectCarrierClaim(state: AfterSalesCase, command: RejectCarrierClaim): CaseWithCarrierClaim | undefined {
  const reason = command.reason.trim();
  const claim = openClaimOf(state, command.caller, (c) => c.status === "rejected" && c.rejectionReason === reason);
  if (!claim) return undefined;
  if (!reason) throw new ValidationError([{ field: "reason", message: "is required: the carrier's reason for refusing the claim" }]);
  if (reason.length > maxTextLength) throw new ValidationError([{ field: "reason", message: `must be at most ${maxTextLength} characters` }]);
  return { ...state, carrierClaim: { ...claim, status: "rejected", rejectionReason: reason, closedAt: command.now, closedBy: callerLabel(command.caller) } };
}

/**
 * The case's claim still waiting for the carrier's answer, or undefined when `sameAnswer` says
 * the same caller already recorded this very answer (a retry). The carrier answers once: a
 * claim settled or rejected is not answered again, whoever asks.
 */
function openClaimOf(state: AfterSalesCase, caller: CaseCaller, sameAnswer: (claim: CarrierClaim) => boolean): CarrierClaim | undefined {
  const claim = state.carrierClaim;
  if (!claim) throw new IllegalStateError("after-sales.no-carrier-claim", `no claim against the carrier was filed for case ${state.caseId}`);
  if (claim.closedBy === callerLabel(caller) && sameAnswer(claim)) return undefined;
  if (claim.status !== "filed") {
    throw new IllegalStateError("after-sales.carrier-claim-closed", `the claim of case ${state.caseId} against ${claim.carrier} was ${claim.status} at ${claim.closedAt?.toISOString() ?? ""}`);
  }
  return claim;
}
