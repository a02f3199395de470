import { describe, expect, it } from "vitest";
import { caseRefundShortfallOf } from "./case-refund-shortfall.ts";

describe("a resolved case's refund that fell short", () => {
  it("is none when the case got all it named", () => {
    expect(caseRefundShortfallOf(4_000, { paidMinor: 10_000, refundedBeforeMinor: 0 }, 4_000)).toBeUndefined();
    expect(caseRefundShortfallOf(4_000, { paidMinor: 10_000, refundedBeforeMinor: 6_000 }, 4_000)).toBeUndefined();
  });

  it("says nothing was paid when billing holds no money of the order, or none was taken", () => {
    expect(caseRefundShortfallOf(4_000, undefined, 0)).toEqual({ requestedMinor: 4_000, refundedMinor: 0, reason: "nothing paid on the order yet" });
    expect(caseRefundShortfallOf(4_000, { paidMinor: 0, refundedBeforeMinor: 0 }, 0)).toEqual({ requestedMinor: 4_000, refundedMinor: 0, reason: "nothing paid on the order yet" });
  });

  it("says what went back before when earlier refunds left too little", () => {
    expect(caseRefundShortfallOf(4_000, { paidMinor: 10_000, refundedBeforeMinor: 10_000 }, 0)).toEqual({
      requestedMinor: 4_000,
      refundedMinor: 0,
      reason: "already refunded: 10000 of the 10000 paid went back before, 0 was left",
    });
    expect(caseRefundShortfallOf(4_000, { paidMinor: 10_000, refundedBeforeMinor: 7_500 }, 2_500)?.reason).toBe(
      "already refunded: 7500 of the 10000 paid went back before, 2500 was left",
    );
  });

  it("says less was paid than the case names when nothing went back before", () => {
    expect(caseRefundShortfallOf(4_000, { paidMinor: 3_000, refundedBeforeMinor: 0 }, 3_000)).toEqual({
      requestedMinor: 4_000,
      refundedMinor: 3_000,
      reason: "paid less than the case names: 3000 paid",
    });
  });
});
