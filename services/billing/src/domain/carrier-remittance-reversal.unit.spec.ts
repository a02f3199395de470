import { describe, expect, it } from "vitest";
import type { CarrierRecovery } from "./carrier-recovery.ts";
import { decideRemittanceReversal, type BookedAllocation } from "./carrier-remittance-reversal.ts";

const recovery = (caseId: string, dueMinor: number, receivedMinor: number): CarrierRecovery => ({
  caseId,
  orderId: `o-${caseId}`,
  storeId: "store-1",
  carrier: "SF Express",
  carrierReference: "",
  dueMinor,
  currency: "CNY",
  receivedMinor,
});
const held = new Map([recovery("c-1", 3_000, 3_000), recovery("c-2", 2_000, 1_500)].map((r) => [r.caseId, r]));
const allocations: BookedAllocation[] = [
  { place: 1, reference: "BANK-9#1", caseId: "c-1", amountMinor: 3_000 },
  { place: 2, reference: "BANK-9#2", caseId: "c-2", amountMinor: 1_000 },
];

describe("a carrier remittance reversed whole", () => {
  it("reverses every allocation's receipt as a receipt is reversed, each recovery going back by its amount", () => {
    expect(decideRemittanceReversal(allocations, held, undefined, "wrong carrier")).toEqual({
      kind: "reverse",
      reversals: [
        { caseId: "c-1", reference: "BANK-9#1", amountMinor: 3_000, receivedMinor: 0, status: "due" },
        { caseId: "c-2", reference: "BANK-9#2", amountMinor: 1_000, receivedMinor: 500, status: "partly-received" },
      ],
    });
  });

  it("answers the same reversal again as done, and refuses another reason", () => {
    const earlier = { reference: "BANK-9", reason: "wrong carrier", reversedBy: "staff:f-1" };
    expect(decideRemittanceReversal(allocations, held, earlier, "wrong carrier")).toEqual({ kind: "repeat" });
    expect(decideRemittanceReversal(allocations, held, earlier, "another")).toEqual({ kind: "already-reversed", earlier });
  });

  it("reverses nothing when any allocation was reversed on its own, naming each", () => {
    const one = [allocations[0]!, { ...allocations[1]!, reversed: true }];
    expect(decideRemittanceReversal(one, held, undefined, "wrong carrier")).toEqual({ kind: "allocation-reversed", allocations: [one[1]] });
  });
});
