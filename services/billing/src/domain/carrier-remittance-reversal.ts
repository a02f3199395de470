/**
 * Reversing a whole carrier remittance booked in error (ADR 017, twenty-sixth session). Pure: the
 * rules the command applies under every allocation's recovery lock. Each allocation's receipt is
 * reversed as a receipt is (`decideReversal`), all or none; the database holds one reversal per
 * remittance and per receipt again (their primary keys).
 */
import { decideReversal, type BookedReversal } from "./carrier-receipt-reversal.ts";
import type { BookedReceipt, CarrierRecovery, CarrierRecoveryStatus } from "./carrier-recovery.ts";

/** An allocation's receipt as booked, in its place (1-based), and whether it was reversed. */
export interface BookedAllocation extends BookedReceipt {
  place: number;
}

export type RemittanceReversalDecision =
  /** Reverse every allocation's receipt: each one's amount and its recovery's total and status once reversed. */
  | { kind: "reverse"; reversals: { caseId: string; reference: string; amountMinor: number; receivedMinor: number; status: CarrierRecoveryStatus }[] }
  /** The same reversal again (a retry after a lost answer): nothing to write. */
  | { kind: "repeat" }
  /** Reversed whole already, for another reason: a remittance is reversed once. */
  | { kind: "already-reversed"; earlier: BookedReversal }
  /** One allocation or more was reversed on its own: reversing the rest is finance's choice, one by one. */
  | { kind: "allocation-reversed"; allocations: BookedAllocation[] };

/**
 * Whether finance may reverse the remittance whole. The same reason on one reversed whole is a
 * retry, asked first; another reason is refused, as is a remittance any of whose allocations was
 * reversed on its own — reversing the rest "whole" would say the transfer was undone at once when
 * it was not, and the allocation's own reversal already has its reason on record.
 */
export function decideRemittanceReversal(
  allocations: readonly BookedAllocation[],
  recoveries: ReadonlyMap<string, CarrierRecovery>,
  earlier: BookedReversal | undefined,
  reason: string,
): RemittanceReversalDecision {
  if (earlier) return earlier.reason === reason ? { kind: "repeat" } : { kind: "already-reversed", earlier };
  const reversedAlone = allocations.filter((a) => a.reversed);
  if (reversedAlone.length > 0) return { kind: "allocation-reversed", allocations: reversedAlone };
  const reversals = allocations.map((allocation) => {
    const recovery = recoveries.get(allocation.caseId);
    // Every allocation's recovery is there (the receipt's foreign key) and locked by the caller.
    if (!recovery) throw new Error(`the recovery of case ${allocation.caseId} an allocation of the remittance paid was not found`);
    const decided = decideReversal(recovery, allocation, undefined, reason);
    if (decided.kind !== "reverse") throw new Error(`the receipt ${allocation.reference} of the remittance cannot be reversed (${decided.kind})`);
    return { caseId: allocation.caseId, reference: allocation.reference, amountMinor: decided.amountMinor, receivedMinor: decided.receivedMinor, status: decided.status };
  });
  return { kind: "reverse", reversals };
}
