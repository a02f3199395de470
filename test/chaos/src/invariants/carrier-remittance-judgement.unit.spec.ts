import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "./context.ts";
import { judgeRemittances, type RemittanceFacts } from "./carrier-remittance-judgement.ts";

const asked = (caseId: string, remittance: string, more: { booked?: boolean; reversed?: boolean } = {}): [string, ExchangeRecord] => [
  caseId,
  {
    orderId: `o-${caseId}`,
    caseId,
    storeId: "store-1",
    intent: "ship",
    claim: {
      carrier: "SF Express",
      carrierReference: "CLM-1",
      amountMinor: 2_000,
      answer: "settle",
      recoveredMinor: 1_000,
      receipts: [
        {
          reference: `${remittance}#1`,
          amountMinor: 1_000,
          remittance,
          booked: more.booked ?? true,
          ...(more.reversed !== undefined ? { reversal: { reason: "wrong line", rebookedAs: "PAY-9", reversed: more.reversed } } : {}),
        },
      ],
    },
  },
];

const facts = (change: (f: { -readonly [K in keyof RemittanceFacts]: RemittanceFacts[K] extends ReadonlyMap<infer K2, infer V> ? Map<K2, V> : RemittanceFacts[K] extends readonly (infer T)[] ? T[] : RemittanceFacts[K] }) => void = () => {}) => {
  const f = {
    remittances: [
      { reference: "REM-1", total_minor: 1_000, reversed_whole: false },
      { reference: "REM-2", total_minor: 1_000, reversed_whole: true },
    ],
    allocations: [
      { reference: "REM-1#1", remittance: "REM-1", amount_minor: 1_000, reversed: false },
      { reference: "REM-2#1", remittance: "REM-2", amount_minor: 1_000, reversed: true },
    ],
    asked: new Map([asked("x-1", "REM-1"), asked("x-2", "REM-2", { reversed: true })]),
  };
  change(f);
  return judgeRemittances(f).failures;
};

describe("carrier remittances through the faults", () => {
  it("holds when every remittance adds up, reversed whole as finance was answered, and none is unknown to finance", () => {
    expect(facts()).toEqual([]);
    expect(judgeRemittances({ remittances: [], allocations: [], asked: new Map() }).figure).toContain("0 remittances");
  });

  it("catches each violation planted", () => {
    expect(facts((f) => (f.remittances[0] = { ...f.remittances[0]!, total_minor: 900 }))).toEqual([expect.stringContaining("remittance REM-1 totals 900")]);
    expect(facts((f) => (f.allocations[1] = { ...f.allocations[1]!, reversed: false }))).toEqual([expect.stringContaining("reversed whole, but not every allocation")]);
    expect(facts((f) => (f.remittances[1] = { ...f.remittances[1]!, reversed_whole: false }))).toEqual([expect.stringContaining("reversal of remittance REM-2 was answered done")]);
    expect(facts((f) => f.remittances.splice(0, 1))).toEqual([expect.stringContaining("allocations of remittance REM-1"), expect.stringContaining("REM-1 for case x-1 was answered booked")]);
    expect(facts((f) => f.asked.delete("x-1"))).toEqual([expect.stringContaining("remittance REM-1, which finance never sent")]);
    expect(facts((f) => (f.allocations[0] = { ...f.allocations[0]!, reference: "PAY-1" }))).toEqual([expect.stringContaining("not named after it")]);
  });
});
