import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "./context.ts";
import type { ReversalAnnouncement, ReversalRow } from "./carrier-reversal-judgement.ts";
import { judgeCarrierRecoveries, type ReceiptAnnouncement, type ReceiptRow, type RecoveryFacts, type RecoveryRow, type SettledClaimRow } from "./carrier-recovery-judgement.ts";

/**
 * The carrier-recovery check must fail on every way billing's booking of a carrier's money can go
 * wrong under faults: a healthy run's facts, then one planted violation at a time.
 */
interface PlantedFacts extends RecoveryFacts {
  reversals?: ReversalRow[];
  reversalsAnnounced?: Map<string, ReversalAnnouncement>;
  settled: SettledClaimRow[];
  recoveries: RecoveryRow[];
  receipts: ReceiptRow[];
  announced: Map<string, ReceiptAnnouncement>;
  asked: Map<string, ExchangeRecord>;
}

const claimed = (caseId: string, receipts: { reference: string; amountMinor: number; booked?: boolean }[]): [string, ExchangeRecord] => [
  caseId,
  {
    caseId,
    orderId: `o-${caseId}`,
    storeId: "store-1",
    intent: "ship",
    opened: true,
    claim: { carrier: "SF Express", carrierReference: "CLM-1", amountMinor: 3_000, answer: "settle", recoveredMinor: 2_000, filed: true, answered: true, receipts },
  },
];

/** x-1 paid in two parts, x-2 not paid yet, x-3 paid in full at once. */
function healthy(): PlantedFacts {
  const settled = (caseId: string, recovered: number): SettledClaimRow => ({ case_id: caseId, order_id: `o-${caseId}`, store_id: "store-1", recovered_minor: recovered });
  const recovery = (caseId: string, due: number, received: number): RecoveryRow => ({ case_id: caseId, order_id: `o-${caseId}`, store_id: "store-1", due_minor: due, received_minor: received });
  return {
    settled: [settled("x-1", 2_000), settled("x-2", 1_500), settled("x-3", 900)],
    recoveries: [recovery("x-1", 2_000, 2_000), recovery("x-2", 1_500, 0), recovery("x-3", 900, 900)],
    receipts: [
      { reference: "PAY-1", case_id: "x-1", amount_minor: 1_000 },
      { reference: "PAY-2", case_id: "x-1", amount_minor: 1_000 },
      { reference: "PAY-3", case_id: "x-3", amount_minor: 900 },
    ],
    announced: new Map([
      ["PAY-1", { caseId: "x-1", amountMinor: 1_000, times: 1 }],
      ["PAY-2", { caseId: "x-1", amountMinor: 1_000, times: 1 }],
      ["PAY-3", { caseId: "x-3", amountMinor: 900, times: 1 }],
    ]),
    asked: new Map([
      claimed("x-1", [
        { reference: "PAY-1", amountMinor: 1_000, booked: true },
        { reference: "PAY-2", amountMinor: 1_000, booked: true },
      ]),
      claimed("x-2", []),
      claimed("x-3", [{ reference: "PAY-3", amountMinor: 900, booked: true }]),
    ]),
  };
}

const judged = (change: (facts: PlantedFacts) => void) => {
  const facts = healthy();
  change(facts);
  return judgeCarrierRecoveries(facts).failures;
};

describe("the carrier-recovery invariant", () => {
  it("holds on a healthy run, and says so with its figures", () => {
    const { failures, figure } = judgeCarrierRecoveries(healthy());
    expect(failures).toEqual([]);
    expect(figure).toBe("3 settled carrier claims, 3 recoveries in billing (4,400 due, 2,900 received, minor units): 2 received in full, 0 in part; 3 receipts, 0 reversed, each announced once; 0 problems");
  });

  it("fails on a settled claim billing never booked, one booked for another amount or order, and a recovery with no settled claim", () => {
    expect(judged((f) => f.recoveries.splice(1, 1))).toEqual(["the settled carrier claim of case x-2 has no recovery in billing"]);
    expect(judged((f) => (f.recoveries[1]!.due_minor = 1_400))).toEqual(["the settled carrier claim of case x-2 was settled for 1500, billing has 1400 due"]);
    expect(judged((f) => (f.recoveries[1]!.order_id = "o-other"))).toEqual(["the settled carrier claim of case x-2 is of order o-x-2 at store-1, billing's recovery of o-other at store-1"]);
    expect(judged((f) => f.settled.splice(1, 1))).toEqual(["billing's carrier recovery of case x-2, whose claim is not settled"]);
  });

  it("fails when receipts do not add up to what the recovery says, or exceed what is due", () => {
    expect(judged((f) => (f.recoveries[0]!.received_minor = 1_000))).toEqual(["billing's carrier recovery of case x-1 says 1000 received, its receipts less reversals add up to 2000"]);
    expect(
      judged((f) => {
        f.receipts.push({ reference: "PAY-9", case_id: "x-3", amount_minor: 100 });
        f.recoveries[2]!.received_minor = 1_000;
        f.announced.set("PAY-9", { caseId: "x-3", amountMinor: 100, times: 1 });
        f.asked.get("x-3")!.claim!.receipts!.push({ reference: "PAY-9", amountMinor: 100, booked: true });
      }),
    ).toEqual(["billing's carrier recovery of case x-3: 1000 received of 900 due"]);
  });

  it("fails on a receipt announced twice or never, announced with other figures, and an announcement billing booked nothing for", () => {
    expect(judged((f) => (f.announced.get("PAY-1")!.times = 2))).toEqual(["receipt PAY-1 of case x-1 announced 2 times"]);
    expect(judged((f) => f.announced.delete("PAY-3"))).toEqual(["receipt PAY-3 of case x-3 announced 0 times"]);
    expect(judged((f) => (f.announced.get("PAY-3")!.amountMinor = 800))).toEqual(["receipt PAY-3 of case x-3 for 900 announced as case x-3's for 800"]);
    expect(judged((f) => f.announced.set("PAY-7", { caseId: "x-2", amountMinor: 10, times: 1 }))).toEqual(["receipt PAY-7 announced, but billing booked none under it"]);
  });

  it("fails when a payment finance was answered booked is missing or booked otherwise, and on a receipt finance never sent", () => {
    expect(
      judged((f) => {
        f.receipts.splice(2, 1);
        f.recoveries[2]!.received_minor = 0;
        f.announced.delete("PAY-3");
      }),
    ).toEqual(["finance's payment PAY-3 on case x-3 was answered booked, but billing has no receipt under it"]);
    expect(judged((f) => (f.asked.get("x-3")!.claim!.receipts![0]!.amountMinor = 800))).toEqual(["receipt PAY-3 is case x-3's for 900, finance sent case x-3's for 800"]);
    expect(
      judged((f) => {
        f.receipts.push({ reference: "PAY-8", case_id: "x-2", amount_minor: 500 });
        f.recoveries[1]!.received_minor = 500;
        f.announced.set("PAY-8", { caseId: "x-2", amountMinor: 500, times: 1 });
      }),
    ).toEqual(["receipt PAY-8 of case x-2, which finance never sent"]);
  });

  describe("with receipts reversed as booked in error (ADR 017, third carrier addendum)", () => {
    /** PAY-2 on x-1 reversed, and booked again under PAY-4: x-1 still received in full. */
    const reversedAndRebooked = (f: PlantedFacts) => {
      f.reversals = [{ reference: "PAY-2", case_id: "x-1", amount_minor: 1_000 }];
      f.reversalsAnnounced = new Map([["PAY-2", { caseId: "x-1", amountMinor: 1_000, times: 1 }]]);
      f.receipts.push({ reference: "PAY-4", case_id: "x-1", amount_minor: 1_000 });
      f.announced.set("PAY-4", { caseId: "x-1", amountMinor: 1_000, times: 1 });
      f.asked.get("x-1")!.claim!.receipts![1]!.reversal = { reason: "wrong bank line", rebookedAs: "PAY-4", reversed: true };
      f.asked.get("x-1")!.claim!.receipts!.push({ reference: "PAY-4", amountMinor: 1_000, booked: true });
    };

    it("holds when the recovery's total is its receipts less their reversals", () => {
      expect(judged(reversedAndRebooked)).toEqual([]);
      const facts = healthy();
      reversedAndRebooked(facts);
      expect(judgeCarrierRecoveries(facts).figure).toContain("4 receipts, 1 reversed, each announced once; 0 problems");
    });

    it("fails when the total counts a reversed receipt, or receipts less reversals exceed what is due", () => {
      expect(
        judged((f) => {
          f.reversals = [{ reference: "PAY-2", case_id: "x-1", amount_minor: 1_000 }];
          f.reversalsAnnounced = new Map([["PAY-2", { caseId: "x-1", amountMinor: 1_000, times: 1 }]]);
          f.asked.get("x-1")!.claim!.receipts![1]!.reversal = { reason: "wrong bank line", rebookedAs: "PAY-4", reversed: true };
        }),
      ).toEqual(["billing's carrier recovery of case x-1 says 2000 received, its receipts less reversals add up to 1000"]);
      expect(
        judged((f) => {
          reversedAndRebooked(f);
          f.receipts.push({ reference: "PAY-5", case_id: "x-1", amount_minor: 500 });
          f.recoveries[0]!.received_minor = 2_500;
          f.announced.set("PAY-5", { caseId: "x-1", amountMinor: 500, times: 1 });
          f.asked.get("x-1")!.claim!.receipts!.push({ reference: "PAY-5", amountMinor: 500, booked: true });
        }),
      ).toEqual(["billing's carrier recovery of case x-1: 2500 received of 2000 due"]);
    });

    it("fails on a reversal of no receipt or of another amount, one recorded twice, announced twice, never or otherwise, and an announcement of none", () => {
      const reversal = (change: (f: PlantedFacts) => void) =>
        judged((f) => {
          reversedAndRebooked(f);
          change(f);
        });
      expect(
        reversal((f) => {
          f.reversals = [{ reference: "PAY-X", case_id: "x-2", amount_minor: 100 }];
          f.reversalsAnnounced = new Map([["PAY-X", { caseId: "x-2", amountMinor: 100, times: 1 }]]);
        }),
      ).toContain("the reversal of receipt PAY-X on case x-2 names no receipt billing booked");
      expect(reversal((f) => (f.reversals = [{ reference: "PAY-2", case_id: "x-1", amount_minor: 900 }]))).toContain(
        "the reversal of receipt PAY-2 on case x-1 for 900 reverses case x-1's receipt for 1000",
      );
      expect(reversal((f) => (f.reversals = [...f.reversals!, ...f.reversals!]))).toContain("the reversal of receipt PAY-2 on case x-1 is recorded more than once");
      expect(reversal((f) => (f.reversalsAnnounced!.get("PAY-2")!.times = 2))).toEqual(["the reversal of receipt PAY-2 on case x-1 announced 2 times"]);
      expect(reversal((f) => f.reversalsAnnounced!.delete("PAY-2"))).toEqual(["the reversal of receipt PAY-2 on case x-1 announced 0 times"]);
      expect(reversal((f) => (f.reversalsAnnounced!.get("PAY-2")!.amountMinor = 10))).toEqual(["the reversal of receipt PAY-2 on case x-1 for 1000 announced as case x-1's for 10"]);
      expect(reversal((f) => f.reversalsAnnounced!.set("PAY-3", { caseId: "x-3", amountMinor: 900, times: 1 }))).toEqual([
        "receipt PAY-3 announced reversed, but billing recorded no reversal of it",
      ]);
    });

    it("fails when a reversal finance was answered done is missing, and on one finance never asked for", () => {
      expect(
        judged((f) => {
          reversedAndRebooked(f);
          f.reversals = [];
          f.reversalsAnnounced = new Map();
          f.recoveries[0]!.received_minor = 3_000;
          f.recoveries[0]!.due_minor = 3_000;
          f.settled[0]!.recovered_minor = 3_000;
        }),
      ).toEqual(["finance's reversal of receipt PAY-2 on case x-1 was answered done, but billing has none"]);
      expect(
        judged((f) => {
          reversedAndRebooked(f);
          delete f.asked.get("x-1")!.claim!.receipts![1]!.reversal;
        }),
      ).toEqual(["the reversal of receipt PAY-2 on case x-1, which finance never asked for"]);
    });
  });
});
