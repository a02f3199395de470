import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "./context.ts";
import { judgeCarrierClaims, type ClaimCaseRow, type ClaimFacts } from "./carrier-claim-judgement.ts";

/**
 * The carrier-claim check must fail on every way a claim can go wrong under faults: a healthy
 * run's facts, then one planted violation at a time.
 */
const plan = (caseId: string, claim: NonNullable<ExchangeRecord["claim"]>): [string, ExchangeRecord] => [
  caseId,
  { caseId, orderId: `o-${caseId}`, storeId: "store-1", intent: "ship", opened: true, claim },
];
const row = (caseId: string, more: Partial<ClaimCaseRow>): ClaimCaseRow => ({
  case_id: caseId,
  order_id: `o-${caseId}`,
  status: "resolved",
  cause: "carrier",
  claim_status: "filed",
  claimed_minor: 3_000,
  recovered_minor: null,
  order_total_minor: 10_000,
  ...more,
});
const claim = { carrier: "SF Express", carrierReference: "CLM-1", amountMinor: 3_000, filed: true, answered: true };

interface PlantedFacts extends ClaimFacts {
  cases: ClaimCaseRow[];
  asked: Map<string, ExchangeRecord>;
  announced: { filed: Map<string, number>; settled: Map<string, number>; rejected: Map<string, number> };
}

/** One claim settled, one rejected, one whose answer never came (with the reason), and a complaint resolved as the carrier's with no claim. */
function healthy(): PlantedFacts {
  return {
    cases: [
      row("x-1", { claim_status: "settled", recovered_minor: 2_000 }),
      row("x-2", { claim_status: "rejected", claimed_minor: 4_000 }),
      row("x-3", {}),
      row("c-1", { claim_status: null, claimed_minor: null }),
    ],
    asked: new Map([
      plan("x-1", { ...claim, answer: "settle", recoveredMinor: 2_000 }),
      plan("x-2", { ...claim, amountMinor: 4_000, answer: "reject", recoveredMinor: 0 }),
      plan("x-3", { ...claim, answer: "settle", recoveredMinor: 1_000, answered: false, leftBecause: "carrier claim not answered: gave up after 180 s: 503" }),
    ]),
    announced: {
      filed: new Map([
        ["x-1", 1],
        ["x-2", 1],
        ["x-3", 1],
      ]),
      settled: new Map([["x-1", 1]]),
      rejected: new Map([["x-2", 1]]),
    },
  };
}

const judged = (change: (facts: PlantedFacts) => void) => {
  const facts = healthy();
  change(facts);
  return judgeCarrierClaims(facts);
};
const withCase = (caseId: string, more: Partial<ClaimCaseRow>) => (f: PlantedFacts) => (f.cases = f.cases.map((c) => (c.case_id === caseId ? { ...c, ...more } : c)));

describe("invariant: every carrier claim filed once, answered at most once, within its order's total", () => {
  it("passes a run's claims: settled, rejected, one left filed with the reason, and a carrier's complaint claimed by nobody", () => {
    const { failures, figure } = judgeCarrierClaims(healthy());
    expect(failures).toEqual([]);
    expect(figure).toBe("3 carrier claims filed, once each: 1 settled (2,000 recovered of 10,000 claimed, minor units), 1 rejected, 1 still filed; every order's claims within its total; 0 problems");
  });

  it("catches a claim announced filed twice or never, answered twice, or both settled and rejected", () => {
    expect(judged((f) => f.announced.filed.set("x-1", 2)).failures).toEqual(["carrier claim of case x-1 announced filed 2 times"]);
    expect(judged((f) => f.announced.filed.delete("x-3")).failures).toEqual(["carrier claim of case x-3 announced filed 0 times"]);
    expect(judged((f) => f.announced.settled.set("x-1", 2)).failures).toEqual(["carrier claim of case x-1 is settled, announced settled 2 and rejected 0 times"]);
    expect(judged((f) => f.announced.rejected.set("x-1", 1)).failures).toEqual(["carrier claim of case x-1 is settled, announced settled 1 and rejected 1 times"]);
    expect(judged((f) => f.announced.filed.set("c-1", 1)).failures).toEqual(["case c-1 has no carrier claim, announced filed 1, settled 0, rejected 0 times"]);
    expect(judged((f) => f.announced.settled.set("x-9", 1)).failures).toEqual(["carrier claim events for case x-9, which has no claim"]);
  });

  it("catches a claim on a case not resolved as the carrier's, and a settlement beyond the claim", () => {
    expect(judged(withCase("x-3", { cause: "packaging" })).failures).toEqual(["carrier claim of case x-3 on a case resolved with cause packaging"]);
    expect(judged(withCase("x-1", { recovered_minor: 3_001 })).failures).toContainEqual("carrier claim of case x-1 settled for 3001 of 3000 claimed");
  });

  it("holds the order's claims not rejected, and what they recovered, within its total", () => {
    // Two cases of one order: 3,000 + 8,000 claimed of a 10,000 total; the rejected 4,000 does not count.
    const second = (f: PlantedFacts) => {
      f.cases.push(row("x-4", { order_id: "o-x-1", claimed_minor: 8_000 }));
      f.asked.set("x-4", { ...plan("x-4", { ...claim, amountMinor: 8_000, answer: "settle", recoveredMinor: 1, answered: false, leftBecause: "stopped" })[1], orderId: "o-x-1" });
      f.announced.filed.set("x-4", 1);
    };
    expect(judged(second).failures).toEqual(["order o-x-1: 11000 claimed from carriers (rejected claims aside) of a 10000 total"]);
    expect(judged(withCase("x-2", { claimed_minor: 11_000 })).failures).toEqual(["carrier claim of case x-2 is for 11000, the desk claimed 4000"]);
  });

  it("catches a claim nobody meant, one answered filed but missing, for another amount, answered otherwise than finance, or left filed unexplained", () => {
    expect(judged((f) => f.asked.delete("x-3")).failures).toEqual(["carrier claim of case x-3, which the desk never meant to file"]);
    expect(judged(withCase("x-3", { claim_status: null, claimed_minor: null })).failures).toEqual([
      "case x-3 has no carrier claim, announced filed 1, settled 0, rejected 0 times",
      "the desk's claim on case x-3 was answered filed, but the case has none",
    ]);
    expect(judged(withCase("x-1", { claimed_minor: 2_500 })).failures).toEqual(["carrier claim of case x-1 is for 2500, the desk claimed 3000"]);
    expect(judged(withCase("x-2", { claim_status: "filed" })).failures).toContainEqual("carrier claim of case x-2 is filed, finance's answer rejected was taken");
    expect(judged(withCase("x-1", { recovered_minor: 1_500 })).failures).toEqual(["carrier claim of case x-1 settled for 1500, finance recorded 2000"]);
    expect(judged((f) => f.asked.set("x-3", { ...f.asked.get("x-3")!, claim: { ...f.asked.get("x-3")!.claim!, leftBecause: undefined } })).failures).toEqual([
      "the desk's claim on case x-3 is filed at the end, and nobody said why",
    ]);
  });
});
