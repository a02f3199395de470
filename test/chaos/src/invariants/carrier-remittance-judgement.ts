import { n, type ExchangeRecord } from "./context.ts";

/** A carrier transfer booked as a remittance, as billing holds it (migration 017), and whether reversed whole (018). */
export interface RemittanceRow {
  reference: string;
  total_minor: number;
  reversed_whole: boolean;
}

/** A receipt booked as an allocation of a remittance, and whether it is reversed. */
export interface AllocationRow {
  reference: string;
  remittance: string;
  amount_minor: number;
  reversed: boolean;
}

export interface RemittanceFacts {
  remittances: readonly RemittanceRow[];
  allocations: readonly AllocationRow[];
  /** What the simulated finance set out to do, by case id. */
  asked: ReadonlyMap<string, ExchangeRecord>;
}

/**
 * Carrier transfers booked as remittances (ADR 017, twenty-fifth and twenty-sixth sessions): each
 * remittance's total is what its allocations add up to, each allocation named `<remittance>#<n>`;
 * one reversed whole has every allocation reversed; each remittance finance was answered booked is
 * there, none that finance never sent, and each it was answered reversed whole is so. The receipts
 * themselves (amounts, announcements, the recoveries' sums) are judged with every other receipt.
 * Pure: carrier-recoveries.ts reads the facts.
 */
export function judgeRemittances(facts: RemittanceFacts): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const allocationsOf = new Map<string, AllocationRow[]>();
  for (const a of facts.allocations) allocationsOf.set(a.remittance, [...(allocationsOf.get(a.remittance) ?? []), a]);
  const booked = new Map(facts.remittances.map((r) => [r.reference, r]));
  for (const remittance of facts.remittances) {
    const where = `remittance ${remittance.reference}`;
    const allocations = allocationsOf.get(remittance.reference) ?? [];
    const sum = allocations.reduce((t, a) => t + a.amount_minor, 0);
    if (allocations.length === 0 || sum !== remittance.total_minor) failures.push(`${where} totals ${remittance.total_minor}, its ${allocations.length} allocations ${sum}`);
    for (const a of allocations) if (!a.reference.startsWith(`${remittance.reference}#`)) failures.push(`${where} has allocation ${a.reference}, not named after it`);
    if (remittance.reversed_whole && !allocations.every((a) => a.reversed)) failures.push(`${where} is reversed whole, but not every allocation is`);
  }
  for (const remittance of allocationsOf.keys()) if (!booked.has(remittance)) failures.push(`allocations of remittance ${remittance}, which billing does not hold`);
  const meant = new Map<string, { caseId: string; booked?: boolean; reversedWhole?: boolean }>();
  for (const [caseId, asked] of facts.asked) {
    for (const receipt of asked.claim?.receipts ?? []) {
      if (receipt.remittance) meant.set(receipt.remittance, { caseId, booked: receipt.booked, reversedWhole: receipt.reversal?.reversed });
    }
  }
  for (const [reference, asked] of meant) {
    const held = booked.get(reference);
    if (asked.booked && !held) failures.push(`finance's remittance ${reference} for case ${asked.caseId} was answered booked, but billing has none`);
    if (asked.reversedWhole && !held?.reversed_whole) failures.push(`finance's reversal of remittance ${reference} was answered done, but billing has it not reversed whole`);
  }
  for (const remittance of facts.remittances) if (!meant.has(remittance.reference)) failures.push(`remittance ${remittance.reference}, which finance never sent`);
  const reversedWhole = facts.remittances.filter((r) => r.reversed_whole).length;
  return { failures, figure: `${n(facts.remittances.length)} remittances (${n(reversedWhole)} reversed whole)` };
}
