import type { ReceiptRow } from "./carrier-recovery-judgement.ts";

/** A reversal of a receipt finance booked in error, as billing holds it (migration 015). */
export interface ReversalRow {
  reference: string;
  case_id: string;
  amount_minor: number;
}

/** CarrierReceiptReversed on billing's topic by reference, a copy republished after a crash counted once. */
export interface ReversalAnnouncement {
  caseId: string;
  amountMinor: number;
  times: number;
}

/**
 * Reversals of carrier receipts (ADR 017, third carrier addendum): each names a receipt billing
 * booked, on the same case and for its amount, at most once; each is announced once on billing's
 * topic with that case and amount, and nothing is announced reversed that billing did not record;
 * each reversal finance was answered done is there, none that finance never asked for (`meant`:
 * finance's reversals by the reference reversed).
 * Pure: the recovery invariant adds these failures to its own, and nets reversals out of its sums.
 */
export function judgeReversals(
  receipts: readonly ReceiptRow[],
  reversals: readonly ReversalRow[],
  announced: ReadonlyMap<string, ReversalAnnouncement>,
  meant: ReadonlyMap<string, { caseId: string; reversed?: boolean }>,
): string[] {
  const failures: string[] = [];
  const receiptOf = new Map(receipts.map((r) => [r.reference, r]));
  const seen = new Set<string>();
  for (const reversal of reversals) {
    const where = `the reversal of receipt ${reversal.reference} on case ${reversal.case_id}`;
    if (seen.has(reversal.reference)) failures.push(`${where} is recorded more than once`);
    seen.add(reversal.reference);
    const receipt = receiptOf.get(reversal.reference);
    if (!receipt) failures.push(`${where} names no receipt billing booked`);
    else if (receipt.case_id !== reversal.case_id || receipt.amount_minor !== reversal.amount_minor) {
      failures.push(`${where} for ${reversal.amount_minor} reverses case ${receipt.case_id}'s receipt for ${receipt.amount_minor}`);
    }
    const told = announced.get(reversal.reference);
    if (!told || told.times !== 1) failures.push(`${where} announced ${told?.times ?? 0} times`);
    else if (told.caseId !== reversal.case_id || told.amountMinor !== reversal.amount_minor) {
      failures.push(`${where} for ${reversal.amount_minor} announced as case ${told.caseId}'s for ${told.amountMinor}`);
    }
  }
  for (const reference of announced.keys()) if (!seen.has(reference)) failures.push(`receipt ${reference} announced reversed, but billing recorded no reversal of it`);
  for (const [reference, asked] of meant) {
    if (asked.reversed && !seen.has(reference)) failures.push(`finance's reversal of receipt ${reference} on case ${asked.caseId} was answered done, but billing has none`);
  }
  for (const reversal of reversals) {
    if (!meant.has(reversal.reference)) failures.push(`the reversal of receipt ${reversal.reference} on case ${reversal.case_id}, which finance never asked for`);
  }
  return failures;
}

/** What was reversed on each case, to net out of its receipts. */
export function reversedByCase(reversals: readonly ReversalRow[]): Map<string, number> {
  const byCase = new Map<string, number>();
  for (const r of reversals) byCase.set(r.case_id, (byCase.get(r.case_id) ?? 0) + r.amount_minor);
  return byCase;
}
