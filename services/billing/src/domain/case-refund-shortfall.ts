/**
 * A resolved after-sales case names money to go back (ADR 017); billing refunds it only out
 * of what it still holds of the order. When it refunds less, finance settles the rest by hand
 * and customer service must know why: the shortfall is announced (CaseRefundShortfall) rather
 * than left for anyone to infer. Pure: the refund's outcome in, the shortfall (if any) out.
 */

/** What billing held of the order as the case's refund was decided; undefined: it knows no money of the order. */
export interface HeldBeforeRefund {
  paidMinor: number;
  /** Refunded on the order before this case's refund (a cancellation, a dispute, another case, a clerk's). */
  refundedBeforeMinor: number;
}

export interface CaseRefundShortfall {
  requestedMinor: number;
  refundedMinor: number;
  reason: string;
}

/**
 * The shortfall of a case's refund, or undefined when the case got all it named. The reason
 * says what billing knows: nothing paid yet (cash on delivery not collected, on credit, no
 * settlement), money already gone back before, or less paid than the case names.
 */
export function caseRefundShortfallOf(requestedMinor: number, held: HeldBeforeRefund | undefined, refundedMinor: number): CaseRefundShortfall | undefined {
  if (refundedMinor >= requestedMinor) return undefined;
  const short = { requestedMinor, refundedMinor };
  if (!held || held.paidMinor === 0) return { ...short, reason: "nothing paid on the order yet" };
  const stillHeld = Math.max(0, held.paidMinor - held.refundedBeforeMinor);
  if (held.refundedBeforeMinor > 0) {
    return { ...short, reason: `already refunded: ${held.refundedBeforeMinor} of the ${held.paidMinor} paid went back before, ${stillHeld} was left` };
  }
  return { ...short, reason: `paid less than the case names: ${held.paidMinor} paid` };
}
