/**
 * Reversing a carrier receipt booked in error (ADR 017, third carrier addendum). Pure: the rules
 * the command applies; the database holds one reversal per receipt again (its primary key) and
 * received ≥ 0. Chasing what is owed too long is `carrier-recovery-overdue.ts`.
 */
import { statusOf, type BookedReceipt, type CarrierRecovery, type CarrierRecoveryStatus } from "./carrier-recovery.ts";

export const REVERSAL_REASON_MAX = 500;

/** A reversal as the database holds it. */
export interface BookedReversal {
  reference: string;
  reason: string;
  reversedBy: string;
}

export type ReversalDecision =
  /** Reverse it: the recovery's total and status once it is. */
  | { kind: "reverse"; amountMinor: number; receivedMinor: number; status: CarrierRecoveryStatus }
  /** The same reversal again (a retry after a lost answer): nothing to write. */
  | { kind: "repeat" }
  /** No receipt under the reference on this recovery (none at all, or another case's). */
  | { kind: "unknown-receipt" }
  /** Reversed already, for another reason: a receipt is reversed once. */
  | { kind: "already-reversed"; earlier: BookedReversal };

/**
 * Whether finance may reverse the receipt booked under `reference` on the recovery. The same
 * reason again is a retry, asked first so it answers as it stands; another reason on a reversed
 * receipt is refused (one reversal per receipt, and its reason is the one on record).
 */
export function decideReversal(recovery: CarrierRecovery, receipt: BookedReceipt | undefined, earlier: BookedReversal | undefined, reason: string): ReversalDecision {
  if (!receipt || receipt.caseId !== recovery.caseId) return { kind: "unknown-receipt" };
  if (earlier) return earlier.reason === reason ? { kind: "repeat" } : { kind: "already-reversed", earlier };
  const receivedMinor = recovery.receivedMinor - receipt.amountMinor;
  return { kind: "reverse", amountMinor: receipt.amountMinor, receivedMinor, status: statusOf({ dueMinor: recovery.dueMinor, receivedMinor }) };
}
