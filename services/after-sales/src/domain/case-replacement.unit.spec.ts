import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import { recordReplacement } from "./case-replacement.ts";
import type { AfterSalesCase } from "./case.ts";

const at = (hour: number) => new Date(`2026-12-08T${String(hour).padStart(2, "0")}:00:00Z`);
const exchange = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => ({
  caseId: "case-1",
  orderId: "o-1",
  storeId: "s-1",
  kind: "exchange",
  channel: "online",
  description: { clear: "wrong colour" },
  lines: [{ sku: "KETTLE", quantity: 1 }],
  status: "accepted",
  openedBy: "customer:c-1",
  openedAt: at(8),
  correlationId: "corr-1",
  withinPolicy: true,
  policyNote: "",
  refundMinor: 0,
  refundedMinor: 0,
  goodsRestocked: 0,
  goodsWrittenOff: 0,
  ...more,
});

describe("an exchange's replacement on the case (ADR 030)", () => {
  it("keeps where it stands, then the carrier and tracking number once shipped, with the time", () => {
    const waiting = recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9) });
    const shipped = recordReplacement(waiting, { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    expect(shipped.replacement).toEqual({ status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    // Resolved before it shipped: the case still follows it.
    expect(recordReplacement(exchange({ status: "resolved" }), { status: "reserved", carrier: "", trackingNumber: "", at: at(9) }).replacement?.status).toBe("reserved");
  });

  it("only moves forward: an announcement behind what the case shows changes nothing", () => {
    const shipped = recordReplacement(exchange(), { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    expect(recordReplacement(shipped, { status: "reserved", carrier: "", trackingNumber: "", at: at(9) })).toBe(shipped);
    expect(recordReplacement(shipped, { status: "called-off", carrier: "", trackingNumber: "", at: at(11) })).toBe(shipped);
  });

  it("refuses a replacement for a case that is not an accepted exchange", () => {
    for (const c of [exchange({ kind: "return" }), exchange({ kind: "complaint" }), exchange({ status: "open" }), exchange({ status: "declined" })]) {
      expect(() => recordReplacement(c, { status: "reserved", carrier: "", trackingNumber: "", at: at(9) })).toThrow(IllegalStateError);
    }
  });
});
