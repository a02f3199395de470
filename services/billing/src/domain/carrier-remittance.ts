/**
 * One carrier transfer paying several of that carrier's settled claims (ADR 017, twenty-fifth
 * session): a remittance under one reference, allocated to recoveries, booked whole or not at
 * all. Pure: the rules the command applies under the recoveries' locks. Each allocation is a
 * receipt of its recovery, under the remittance's reference and its place (`<reference>#<n>`),
 * so every rule of a receipt holds for it and consumers of receipts need no change.
 */
import { outstandingOf, statusOf, type BookedReceipt, type CarrierRecovery, type CarrierRecoveryStatus } from "./carrier-recovery.ts";

export interface RemittanceAllocation {
  caseId: string;
  amountMinor: number;
}

export interface Remittance {
  reference: string;
  carrier: string;
  currency: string;
  allocations: readonly RemittanceAllocation[];
}

/**
 * The character that joins a remittance's reference to an allocation's place: kept for the
 * allocations alone (twenty-sixth session), so no reference finance types — a receipt's or a
 * remittance's — can be, or make, an allocation's name.
 */
export const ALLOCATION_MARK = "#";

/** The receipt reference of the remittance's `index`-th allocation (0-based): its place, 1-based. */
export const allocationReference = (reference: string, index: number) => `${reference}${ALLOCATION_MARK}${index + 1}`;

/** Why finance's own reference (a receipt's or a remittance's) cannot be taken as typed; undefined when it can. */
export function typedReferenceFault(reference: string): string | undefined {
  return reference.includes(ALLOCATION_MARK)
    ? `must not contain "${ALLOCATION_MARK}": it names a remittance's allocations (<reference>${ALLOCATION_MARK}<place>); write the bank's reference without it`
    : undefined;
}

/** Why an allocation cannot be booked, naming it by its place in the request. */
export type AllocationRefusal =
  | { kind: "unknown-recovery"; index: number; caseId: string }
  | { kind: "other-carrier"; index: number; caseId: string; carrier: string }
  | { kind: "other-currency"; index: number; caseId: string; currency: string }
  | { kind: "more-than-owed"; index: number; caseId: string; outstandingMinor: number }
  | { kind: "reference-taken"; index: number; caseId: string; reference: string };

export type RemittanceDecision =
  /** Book each allocation as a receipt: its reference, amount and its recovery's total and status once booked. */
  | { kind: "book"; receipts: { caseId: string; reference: string; amountMinor: number; receivedMinor: number; status: CarrierRecoveryStatus }[]; totalMinor: number }
  /** The same remittance again (a retry after a lost answer): nothing to book. */
  | { kind: "repeat" }
  /** The reference is spent: another remittance's (other content), or a receipt's booked alone. */
  | { kind: "reference-reused"; earlier: { remittance: Remittance } | { receipt: BookedReceipt } }
  /** This very remittance, since reversed whole: its reference is spent for good, as a reversed receipt's. */
  | { kind: "reference-reversed"; earlier: { remittance: Remittance } }
  /** One allocation or more cannot be booked: none is. */
  | { kind: "refused"; refusals: AllocationRefusal[] };

/** What finance finds spent under the remittance's reference, and its allocations' receipt references already taken. */
export interface SpentReferences {
  remittance: Remittance | undefined;
  /** Whether that remittance was reversed whole (twenty-sixth session). */
  remittanceReversedWhole?: boolean;
  receipt: BookedReceipt | undefined;
  allocationReferencesTaken: ReadonlySet<string>;
}

/**
 * Whether finance may book the remittance against these recoveries (those of its allocations'
 * cases billing holds). The reference is one payment for good, as a receipt's: the same
 * remittance again is a retry, asked first — unless it was reversed whole, when it is refused as
 * a reversed receipt's reference is; the reference on other content, or a receipt's, is refused.
 * Then every allocation must name a recovery of the remittance's carrier, in its currency, within
 * what it still owes; any that does not refuses the whole.
 */
export function decideRemittance(remittance: Remittance, recoveries: ReadonlyMap<string, CarrierRecovery>, spent: SpentReferences): RemittanceDecision {
  if (spent.remittance) {
    if (!sameRemittance(spent.remittance, remittance)) return { kind: "reference-reused", earlier: { remittance: spent.remittance } };
    // Reversed whole, the transfer books nothing any more: a late retry answered "booked" would be believed.
    return spent.remittanceReversedWhole ? { kind: "reference-reversed", earlier: { remittance: spent.remittance } } : { kind: "repeat" };
  }
  if (spent.receipt) return { kind: "reference-reused", earlier: { receipt: spent.receipt } };
  const refusals: AllocationRefusal[] = [];
  const receipts: Extract<RemittanceDecision, { kind: "book" }>["receipts"] = [];
  remittance.allocations.forEach(({ caseId, amountMinor }, index) => {
    const recovery = recoveries.get(caseId);
    const reference = allocationReference(remittance.reference, index);
    if (!recovery) return refusals.push({ kind: "unknown-recovery", index, caseId });
    if (recovery.carrier !== remittance.carrier) return refusals.push({ kind: "other-carrier", index, caseId, carrier: recovery.carrier });
    if (recovery.currency !== remittance.currency) return refusals.push({ kind: "other-currency", index, caseId, currency: recovery.currency });
    if (amountMinor > outstandingOf(recovery)) return refusals.push({ kind: "more-than-owed", index, caseId, outstandingMinor: outstandingOf(recovery) });
    if (spent.allocationReferencesTaken.has(reference)) return refusals.push({ kind: "reference-taken", index, caseId, reference });
    const receivedMinor = recovery.receivedMinor + amountMinor;
    return receipts.push({ caseId, reference, amountMinor, receivedMinor, status: statusOf({ dueMinor: recovery.dueMinor, receivedMinor }) });
  });
  if (refusals.length > 0) return { kind: "refused", refusals };
  return { kind: "book", receipts, totalMinor: receipts.reduce((total, r) => total + r.amountMinor, 0) };
}

/** The same transfer: carrier, currency and allocations, whatever their order. */
function sameRemittance(earlier: Remittance, asked: Remittance): boolean {
  const key = (r: Remittance) =>
    JSON.stringify([r.carrier, r.currency, [...r.allocations].map((a) => [a.caseId, a.amountMinor]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))]);
  return key(earlier) === key(asked);
}
