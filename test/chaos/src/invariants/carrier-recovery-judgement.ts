import { judgeReversals, reversedByCase, type ReversalAnnouncement, type ReversalRow } from "./carrier-reversal-judgement.ts";
import { n, type ExchangeRecord } from "./context.ts";

/** A claim after-sales holds settled: what the carrier agreed to pay. */
export interface SettledClaimRow {
  case_id: string;
  order_id: string;
  store_id: string;
  recovered_minor: number;
}

/** A carrier recovery as billing holds it (migration 014). */
export interface RecoveryRow {
  case_id: string;
  order_id: string;
  store_id: string;
  due_minor: number;
  received_minor: number;
}

/** A receipt finance booked in billing. */
export interface ReceiptRow {
  reference: string;
  case_id: string;
  amount_minor: number;
}

/** CarrierRecoveryReceived on billing's topic by reference, a copy republished after a crash counted once. */
export interface ReceiptAnnouncement {
  caseId: string;
  amountMinor: number;
  times: number;
}

export interface RecoveryFacts {
  settled: readonly SettledClaimRow[];
  recoveries: readonly RecoveryRow[];
  receipts: readonly ReceiptRow[];
  announced: ReadonlyMap<string, ReceiptAnnouncement>;
  /** Receipts reversed as booked in error, and their CarrierReceiptReversed by reference (none before migration 015). */
  reversals?: readonly ReversalRow[];
  reversalsAnnounced?: ReadonlyMap<string, ReversalAnnouncement>;
  /** What the simulated desk and finance set out to do, by case id. */
  asked: ReadonlyMap<string, ExchangeRecord>;
}

/**
 * Money recovered from carriers (ADR 017, second carrier addendum): every settled claim has
 * exactly one recovery in billing, due what the carrier agreed, of the claim's order and store,
 * and billing has none without a settled claim; its receipts less their reversals (third carrier
 * addendum) add up to what it says it received, never more than due; each receipt and each
 * reversal announced once on billing's topic with its case and amount,
 * and nothing announced that billing did not book; and each payment finance was answered booked
 * is there as finance sent it, none booked that finance never sent. Pure: carrier-recoveries.ts reads the facts.
 */
export function judgeCarrierRecoveries(facts: RecoveryFacts): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const recoveryOf = new Map(facts.recoveries.map((r) => [r.case_id, r]));
  const settledOf = new Map(facts.settled.map((c) => [c.case_id, c]));
  const receiptsOf = new Map<string, ReceiptRow[]>();
  for (const receipt of facts.receipts) receiptsOf.set(receipt.case_id, [...(receiptsOf.get(receipt.case_id) ?? []), receipt]);
  const reversals = facts.reversals ?? [];
  const reversedOf = reversedByCase(reversals);
  for (const claim of facts.settled) {
    const recovery = recoveryOf.get(claim.case_id);
    const where = `the settled carrier claim of case ${claim.case_id}`;
    if (!recovery) {
      failures.push(`${where} has no recovery in billing`);
      continue;
    }
    if (recovery.due_minor !== claim.recovered_minor) failures.push(`${where} was settled for ${claim.recovered_minor}, billing has ${recovery.due_minor} due`);
    if (recovery.order_id !== claim.order_id || recovery.store_id !== claim.store_id) {
      failures.push(`${where} is of order ${claim.order_id} at ${claim.store_id}, billing's recovery of ${recovery.order_id} at ${recovery.store_id}`);
    }
  }
  for (const recovery of facts.recoveries) {
    const where = `billing's carrier recovery of case ${recovery.case_id}`;
    if (!settledOf.has(recovery.case_id)) failures.push(`${where}, whose claim is not settled`);
    const booked = (receiptsOf.get(recovery.case_id) ?? []).reduce((t, r) => t + r.amount_minor, 0) - (reversedOf.get(recovery.case_id) ?? 0);
    if (booked !== recovery.received_minor) failures.push(`${where} says ${recovery.received_minor} received, its receipts less reversals add up to ${booked}`);
    if (booked > recovery.due_minor) failures.push(`${where}: ${booked} received of ${recovery.due_minor} due`);
  }
  for (const receipt of facts.receipts) {
    const where = `receipt ${receipt.reference} of case ${receipt.case_id}`;
    if (!recoveryOf.has(receipt.case_id)) failures.push(`${where}, of no recovery`);
    const announced = facts.announced.get(receipt.reference);
    if (!announced || announced.times !== 1) failures.push(`${where} announced ${announced?.times ?? 0} times`);
    else if (announced.caseId !== receipt.case_id || announced.amountMinor !== receipt.amount_minor) {
      failures.push(`${where} for ${receipt.amount_minor} announced as case ${announced.caseId}'s for ${announced.amountMinor}`);
    }
  }
  const bookedReferences = new Set(facts.receipts.map((r) => r.reference));
  for (const reference of facts.announced.keys()) if (!bookedReferences.has(reference)) failures.push(`receipt ${reference} announced, but billing booked none under it`);
  const meant = new Map<string, { caseId: string; amountMinor: number; booked?: boolean }>();
  for (const [caseId, asked] of facts.asked) for (const receipt of asked.claim?.receipts ?? []) meant.set(receipt.reference, { caseId, ...receipt });
  const byReference = new Map(facts.receipts.map((r) => [r.reference, r]));
  for (const [reference, receipt] of meant) {
    const booked = byReference.get(reference);
    if (receipt.booked && !booked) failures.push(`finance's payment ${reference} on case ${receipt.caseId} was answered booked, but billing has no receipt under it`);
    if (booked && (booked.case_id !== receipt.caseId || booked.amount_minor !== receipt.amountMinor)) {
      failures.push(`receipt ${reference} is case ${booked.case_id}'s for ${booked.amount_minor}, finance sent case ${receipt.caseId}'s for ${receipt.amountMinor}`);
    }
  }
  for (const receipt of facts.receipts) if (!meant.has(receipt.reference)) failures.push(`receipt ${receipt.reference} of case ${receipt.case_id}, which finance never sent`);
  const meantReversals = new Map<string, { caseId: string; reversed?: boolean }>();
  for (const [caseId, asked] of facts.asked) {
    for (const receipt of asked.claim?.receipts ?? []) if (receipt.reversal) meantReversals.set(receipt.reference, { caseId, reversed: receipt.reversal.reversed });
  }
  failures.push(...judgeReversals(facts.receipts, reversals, facts.reversalsAnnounced ?? new Map(), meantReversals));
  const due = facts.recoveries.reduce((t, r) => t + r.due_minor, 0);
  const received = facts.recoveries.reduce((t, r) => t + r.received_minor, 0);
  const inFull = facts.recoveries.filter((r) => r.received_minor === r.due_minor).length;
  const partly = facts.recoveries.filter((r) => r.received_minor > 0 && r.received_minor < r.due_minor).length;
  const figure =
    `${n(facts.settled.length)} settled carrier claims, ${n(facts.recoveries.length)} recoveries in billing (${n(due)} due, ${n(received)} received, minor units): ` +
    `${n(inFull)} received in full, ${n(partly)} in part; ${n(facts.receipts.length)} receipts, ${n(reversals.length)} reversed, each announced once; ${n(failures.length)} problems`;
  return { failures, figure };
}
