import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import { goodsOutstanding, recordGoodsCalledOff, recordGoodsReceived } from "./case-returned-goods.ts";
import type { AfterSalesCase } from "./case.ts";

const at = new Date("2026-12-08T10:00:00Z");
const accepted = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => ({
  caseId: "case-1",
  orderId: "o-1",
  storeId: "s-1",
  kind: "return",
  channel: "online",
  description: { clear: "the kettle leaks" },
  lines: [{ sku: "KETTLE", quantity: 2 }, { sku: "LID", quantity: 1 }],
  status: "accepted",
  openedBy: "customer:c-1",
  openedAt: new Date("2026-12-07T08:00:00Z"),
  correlationId: "corr-1",
  withinPolicy: true,
  policyNote: "",
  assigneeStaffId: "cs-1",
  refundMinor: 0,
  refundedMinor: 0,
  goodsRestocked: 0,
  goodsWrittenOff: 0,
  ...more,
});

describe("goods of a return coming back to the store", () => {
  it("adds each receipt's restocked and written-off units and keeps when the last came in", () => {
    const once = recordGoodsReceived(accepted(), { restocked: 1, writtenOff: 1, at: new Date("2026-12-08T09:00:00Z") });
    const twice = recordGoodsReceived(once, { restocked: 1, writtenOff: 0, at });
    expect(twice).toMatchObject({ goodsRestocked: 2, goodsWrittenOff: 1, goodsReceivedAt: at });
    expect([goodsOutstanding(accepted()), goodsOutstanding(once), goodsOutstanding(twice)]).toEqual([3, 1, 0]);
  });

  it("records goods on a return already resolved (the refund did not wait for them)", () => {
    expect(recordGoodsReceived(accepted({ status: "resolved" }), { restocked: 3, writtenOff: 0, at }).goodsRestocked).toBe(3);
  });

  it("refuses goods for a case that sends none back, and expects none of it", () => {
    for (const c of [accepted({ kind: "complaint" }), accepted({ kind: "repair" }), accepted({ status: "open" }), accepted({ status: "declined" })]) {
      expect(() => recordGoodsReceived(c, { restocked: 1, writtenOff: 0, at })).toThrow(IllegalStateError);
      expect(goodsOutstanding(c)).toBe(0);
    }
  });
});

describe("goods of a return called off", () => {
  it("keeps when and why the store stopped expecting them, and still counts goods that arrive after all", () => {
    const partly = recordGoodsReceived(accepted({ status: "resolved" }), { restocked: 1, writtenOff: 0, at });
    const calledOff = recordGoodsCalledOff(partly, { reason: { clear: "customer kept the lid" }, at });
    expect(calledOff).toMatchObject({ goodsRestocked: 1, goodsCalledOff: { at, reason: { clear: "customer kept the lid" } } });
    expect(goodsOutstanding(calledOff)).toBe(2);
    const late = recordGoodsReceived(calledOff, { restocked: 2, writtenOff: 0, at });
    expect(late).toMatchObject({ goodsRestocked: 3, goodsCalledOff: { reason: { clear: "customer kept the lid" } } });
    expect(goodsOutstanding(late)).toBe(0);
  });

  it("refuses a call-off for a case that sends nothing back", () => {
    for (const c of [accepted({ kind: "complaint" }), accepted({ status: "declined" })]) {
      expect(() => recordGoodsCalledOff(c, { reason: { clear: "lost" }, at })).toThrow(IllegalStateError);
    }
  });
});
