/**
 * Money a carrier owes on a settled claim (ADR 017, second carrier addendum), and the receipts
 * finance books against it. Pure: the rules the command and the consumer apply; the database
 * holds the same bound again (received ≤ due, one row per reference).
 */

export type CarrierRecoveryStatus = "due" | "partly-received" | "received";

export interface CarrierRecovery {
  caseId: string;
  orderId: string;
  storeId: string;
  carrier: string;
  carrierReference: string;
  dueMinor: number;
  currency: string;
  receivedMinor: number;
}

/** A receipt booked under a reference, as the database holds it. */
export interface BookedReceipt {
  reference: string;
  caseId: string;
  amountMinor: number;
  /** Reversed as booked in error (ADR 017, third carrier addendum): its reference stays spent. */
  reversed?: boolean;
  /** The remittance it is an allocation of (ADR 017, twenty-fifth session); undefined when booked alone. */
  remittance?: string | undefined;
}

export function statusOf(recovery: Pick<CarrierRecovery, "dueMinor" | "receivedMinor">): CarrierRecoveryStatus {
  if (recovery.receivedMinor <= 0) return "due";
  return recovery.receivedMinor >= recovery.dueMinor ? "received" : "partly-received";
}

export function outstandingOf(recovery: Pick<CarrierRecovery, "dueMinor" | "receivedMinor">): number {
  return recovery.dueMinor - recovery.receivedMinor;
}

export type ReceiptDecision =
  /** Book it: the recovery's total and status once it is. */
  | { kind: "book"; amountMinor: number; receivedMinor: number; status: CarrierRecoveryStatus }
  /** The same receipt again (a retry after a lost answer): nothing to book. */
  | { kind: "repeat" }
  /** The reference already books another payment: another amount, or another carrier's recovery. */
  | { kind: "reference-reused"; earlier: BookedReceipt }
  /** The reference booked a receipt since reversed: a reference is spent for good, so the payment needs another. */
  | { kind: "reference-reversed"; earlier: BookedReceipt }
  /** More than the carrier still owes. */
  | { kind: "over-due"; outstandingMinor: number }
  /** The reference is a remittance's (one transfer paying several claims): spent for good as a receipt's. */
  | { kind: "reference-of-remittance"; remittance: { reference: string; carrier: string } };

/**
 * Whether finance may book `amountMinor` under `reference` against the recovery. A reference is
 * one payment for good, a remittance's (`remittance`, ADR 017's twenty-fifth-session addendum) too: the same one for the same amount on the same case is a retry, and is
 * asked before the bound, so a retry of the payment that completed the recovery is still a retry.
 */
export function decideReceipt(
  recovery: CarrierRecovery,
  receipt: { amountMinor: number; reference: string },
  earlier: BookedReceipt | undefined,
  remittance?: { reference: string; carrier: string },
): ReceiptDecision {
  if (remittance) return { kind: "reference-of-remittance", remittance };
  if (earlier?.reversed) return { kind: "reference-reversed", earlier };
  if (earlier) {
    // An allocation's receipt was booked by its remittance, never alone: one booked alone under its reference retries nothing.
    const retried = !earlier.remittance && earlier.caseId === recovery.caseId && earlier.amountMinor === receipt.amountMinor;
    return retried ? { kind: "repeat" } : { kind: "reference-reused", earlier };
  }
  const outstanding = outstandingOf(recovery);
  if (receipt.amountMinor > outstanding) return { kind: "over-due", outstandingMinor: outstanding };
  const receivedMinor = recovery.receivedMinor + receipt.amountMinor;
  return { kind: "book", amountMinor: receipt.amountMinor, receivedMinor, status: statusOf({ dueMinor: recovery.dueMinor, receivedMinor }) };
}

/**
 * How a refusal names the claim whose receipt spent a reference (ADR 017, twenty-sixth session):
 * by its case only when it is one of the request's own claims or of a store theirs are of — the
 * stores the gateway held the caller to — else only as another store's, so a store-scoped clerk
 * never learns another store's case from a reference they happened to reuse.
 */
export function spentOnName(spentOn: { caseId: string; storeId: string | undefined }, request: { caseIds: readonly string[]; storeIds: ReadonlySet<string> }): string {
  if (request.caseIds.length === 1 && request.caseIds[0] === spentOn.caseId) return "this recovery";
  if (mayDescribeSpent([spentOn.storeId], request)) return `case ${spentOn.caseId}'s recovery`;
  return "a claim of another store";
}

/**
 * Whether a refusal may say more of the payment that spent a reference — its amount, a
 * remittance's carrier and claims — than that it is another store's: only when every claim it
 * paid is of a store the request's own claims are of (the second reader, twenty-sixth session;
 * naming the case alone was held back, the rest still told a store-scoped clerk).
 */
export function mayDescribeSpent(spentOnStores: readonly (string | undefined)[], request: { storeIds: ReadonlySet<string> }): boolean {
  return spentOnStores.length > 0 && spentOnStores.every((storeId) => storeId !== undefined && request.storeIds.has(storeId));
}

/** What a CarrierClaimSettled makes due: nothing when it names no money (a settlement is 1 ≤ recovered ≤ claimed). */
export function recoveryDueOf(settled: { recoveredMinor: number }): number | undefined {
  return Number.isSafeInteger(settled.recoveredMinor) && settled.recoveredMinor > 0 ? settled.recoveredMinor : undefined;
}

/** A reconciliation's view of the carriers' money over its period (proto CarrierRecoveriesOfPeriod). */
export interface CarrierRecoveriesOfPeriod {
  settled: number;
  dueMinor: number;
  receipts: number;
  receivedMinor: number;
  outstandingMinor: number;
  /** Receipts reversed in the period, whenever booked (ADR 017, third carrier addendum). */
  reversals: number;
  reversedMinor: number;
  currency: string;
}

/**
 * The period's carrier money: what the claims settled in it made due, and what of that is still
 * owed now; and what finance booked and reversed in it, on any recovery (a payment may come
 * periods after its settlement, a reversal periods after its receipt). Summed as the store's one currency (the first named; "" when none).
 */
export function carrierRecoveriesOfPeriod(
  settledInPeriod: readonly Pick<CarrierRecovery, "dueMinor" | "receivedMinor" | "currency">[],
  bookedInPeriod: readonly { amountMinor: number; currency: string }[],
  reversedInPeriod: readonly { amountMinor: number; currency: string }[] = [],
): CarrierRecoveriesOfPeriod {
  const sum = (values: readonly number[]) => values.reduce((t, v) => t + v, 0);
  return {
    settled: settledInPeriod.length,
    dueMinor: sum(settledInPeriod.map((r) => r.dueMinor)),
    receipts: bookedInPeriod.length,
    receivedMinor: sum(bookedInPeriod.map((r) => r.amountMinor)),
    outstandingMinor: sum(settledInPeriod.map(outstandingOf)),
    reversals: reversedInPeriod.length,
    reversedMinor: sum(reversedInPeriod.map((r) => r.amountMinor)),
    currency: settledInPeriod[0]?.currency ?? bookedInPeriod[0]?.currency ?? "",
  };
}
