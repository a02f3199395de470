import { n, type ExchangeRecord } from "./context.ts";

/** A case as after-sales keeps it with its claim against the carrier (ADR 017's carrier-claim addendum); the claim's columns null when none. */
export interface ClaimCaseRow {
  case_id: string;
  order_id: string;
  status: string;
  cause: string | null;
  claim_status: string | null;
  claimed_minor: number | null;
  recovered_minor: number | null;
  /** The order's total as intake took it. */
  order_total_minor: number;
}

/** The claim's events on the case topic by case, a republished copy counted once. */
export interface ClaimAnnouncements {
  filed: ReadonlyMap<string, number>;
  settled: ReadonlyMap<string, number>;
  rejected: ReadonlyMap<string, number>;
}

export interface ClaimFacts {
  /** Every case resolved with cause carrier, and every case with a claim. */
  cases: readonly ClaimCaseRow[];
  announced: ClaimAnnouncements;
  /** What the simulated desk set out to do, by case id. */
  asked: ReadonlyMap<string, ExchangeRecord>;
}

/**
 * Claims against the carrier: at most one per case (filed announced exactly once), only on a case
 * resolved with cause carrier, answered at most once (settled or rejected announced once exactly
 * when it is so, never both), a settlement between 1 and the claim; the order's claims not
 * rejected — and what they recovered — within its total; and each as the desk meant: filed for
 * the amount it planned when its filing was answered, answered as finance meant when that was
 * answered, none nobody planned, none planned left without a reason. Pure: carrier-claims.ts reads the facts.
 */
export function judgeCarrierClaims(facts: ClaimFacts): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const count = (m: ReadonlyMap<string, number>, caseId: string) => m.get(caseId) ?? 0;
  const byOrder = new Map<string, { total: number; claimed: number; recovered: number }>();
  const known = new Set(facts.cases.map((c) => c.case_id));
  let [filed, settled, rejected, claimedSum, recoveredSum] = [0, 0, 0, 0, 0];
  for (const c of facts.cases) {
    const [f, s, r] = [count(facts.announced.filed, c.case_id), count(facts.announced.settled, c.case_id), count(facts.announced.rejected, c.case_id)];
    const where = `carrier claim of case ${c.case_id}`;
    if (c.claim_status === null) {
      if (f + s + r > 0) failures.push(`case ${c.case_id} has no carrier claim, announced filed ${f}, settled ${s}, rejected ${r} times`);
    } else {
      filed++;
      if (c.status !== "resolved" || c.cause !== "carrier") failures.push(`${where} on a case ${c.status} with cause ${c.cause ?? "none"}`);
      if (f !== 1) failures.push(`${where} announced filed ${f} times`);
      if (s !== (c.claim_status === "settled" ? 1 : 0) || r !== (c.claim_status === "rejected" ? 1 : 0)) {
        failures.push(`${where} is ${c.claim_status}, announced settled ${s} and rejected ${r} times`);
      }
      const claimed = c.claimed_minor ?? 0;
      if (c.claim_status === "settled") {
        settled++;
        const recovered = c.recovered_minor ?? 0;
        if (recovered < 1 || recovered > claimed) failures.push(`${where} settled for ${recovered} of ${claimed} claimed`);
        recoveredSum += recovered;
      }
      if (c.claim_status === "rejected") rejected++;
      claimedSum += claimed;
      const sum = byOrder.get(c.order_id) ?? { total: c.order_total_minor, claimed: 0, recovered: 0 };
      if (c.claim_status !== "rejected") sum.claimed += claimed;
      sum.recovered += c.recovered_minor ?? 0;
      byOrder.set(c.order_id, sum);
    }
    const plan = facts.asked.get(c.case_id)?.claim;
    if (!plan) {
      if (c.claim_status !== null) failures.push(`${where}, which the desk never meant to file`);
      continue;
    }
    if (plan.filed && c.claim_status === null) failures.push(`the desk's claim on case ${c.case_id} was answered filed, but the case has none`);
    if (c.claim_status !== null && c.claimed_minor !== plan.amountMinor) failures.push(`${where} is for ${c.claimed_minor}, the desk claimed ${plan.amountMinor}`);
    if (plan.answered) {
      const meant = plan.answer === "settle" ? "settled" : "rejected";
      if (c.claim_status !== meant) failures.push(`${where} is ${c.claim_status ?? "not filed"}, finance's answer ${meant} was taken`);
      else if (meant === "settled" && c.recovered_minor !== plan.recoveredMinor) failures.push(`${where} settled for ${c.recovered_minor}, finance recorded ${plan.recoveredMinor}`);
    } else if (!plan.leftBecause) {
      failures.push(`the desk's claim on case ${c.case_id} is ${c.claim_status ?? "not filed"} at the end, and nobody said why`);
    }
  }
  for (const [caseId, asked] of facts.asked) {
    if (asked.claim && asked.claim.filed && !known.has(caseId)) failures.push(`the desk's claim on case ${caseId} was answered filed, but no such case was resolved as the carrier's`);
  }
  for (const events of [facts.announced.filed, facts.announced.settled, facts.announced.rejected]) {
    for (const caseId of events.keys()) if (!known.has(caseId)) failures.push(`carrier claim events for case ${caseId}, which has no claim`);
  }
  for (const [orderId, sum] of byOrder) {
    if (sum.claimed > sum.total) failures.push(`order ${orderId}: ${sum.claimed} claimed from carriers (rejected claims aside) of a ${sum.total} total`);
    if (sum.recovered > sum.total) failures.push(`order ${orderId}: ${sum.recovered} recovered from carriers of a ${sum.total} total`);
  }
  const figure =
    `${n(filed)} carrier claims filed, once each: ${n(settled)} settled (${n(recoveredSum)} recovered of ${n(claimedSum)} claimed, minor units), ${n(rejected)} rejected, ` +
    `${n(filed - settled - rejected)} still filed; every order's claims within its total; ${n(failures.length)} problems`;
  return { failures, figure };
}
