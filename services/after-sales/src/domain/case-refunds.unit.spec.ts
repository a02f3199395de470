import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import { recordCaseRefund, recordRefundShortfall, settleRefundShortfall } from "./case-refunds.ts";
import type { AfterSalesCase } from "./case.ts";

const at = new Date("2026-12-08T10:00:00Z");
const resolved = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => ({
  caseId: "case-1",
  orderId: "o-1",
  storeId: "s-1",
  kind: "return",
  channel: "online",
  description: { clear: "the kettle leaks" },
  lines: [{ sku: "KETTLE", quantity: 1 }],
  status: "resolved",
  openedBy: "customer:c-1",
  openedAt: new Date("2026-12-07T08:00:00Z"),
  correlationId: "corr-1",
  withinPolicy: true,
  policyNote: "",
  assigneeStaffId: "cs-1",
  resolution: "kettle taken back",
  cause: "product",
  refundMinor: 9_000,
  refundedMinor: 0,
  resolvedBy: "staff:cs-1",
  resolvedAt: at,
  goodsRestocked: 0,
  goodsWrittenOff: 0,
  ...more,
});

describe("the money that went back for a case", () => {
  it("adds each of billing's refunds to what was refunded for the case", () => {
    const once = recordCaseRefund(resolved(), { refundId: "r-1", amountMinor: 6_000, at });
    const twice = recordCaseRefund(once, { refundId: "r-2", amountMinor: 800, at });
    expect([once.refundedMinor, twice.refundedMinor]).toEqual([6_000, 6_800]);
    expect(twice.refundShortfall).toBeUndefined();
  });

  it("keeps billing's shortfall, the first one heard: another is a copy and writes nothing", () => {
    const shortfall = { requestedMinor: 9_000, refundedMinor: 6_800, reason: "already refunded: 4000 of the 10800 paid went back before, 6800 was left", at };
    const short = recordRefundShortfall(resolved({ refundedMinor: 6_800 }), shortfall);
    expect(short?.refundShortfall).toEqual(shortfall);
    expect(short?.refundedMinor).toBe(6_800);
    expect(recordRefundShortfall(short!, { ...shortfall, reason: "nothing paid on the order yet", at: new Date() })).toBeUndefined();
  });

  it("refuses money back for a case not resolved, or resolved without money", () => {
    for (const state of [resolved({ status: "accepted", refundMinor: 0, resolution: undefined }), resolved({ refundMinor: 0 })]) {
      expect(() => recordCaseRefund(state, { refundId: "r-1", amountMinor: 100, at })).toThrow(IllegalStateError);
      expect(() => recordRefundShortfall(state, { requestedMinor: 100, refundedMinor: 0, reason: "nothing paid on the order yet", at })).toThrow(/naming no money back/);
    }
  });
});

describe("finance settling a refund shortfall", () => {
  const finance = { kind: "staff" as const, id: "fin-1", role: "finance" };
  const shortfall = { requestedMinor: 9_000, refundedMinor: 0, reason: "nothing paid on the order yet", at };
  const short = resolved({ refundShortfall: shortfall });
  const now = new Date("2026-12-09T09:00:00Z");
  const settle = (state: AfterSalesCase, reference: string, note = "") => settleRefundShortfall(state, { caller: finance, reference, note, now });

  it("keeps finance's settlement on the shortfall: when, who, the reference and note trimmed", () => {
    const settled = settle(short, "  FIN-2026-0042 ", " bank transfer ");
    expect(settled?.refundShortfall).toEqual({ ...shortfall, settlement: { at: now, by: "staff:fin-1", reference: "FIN-2026-0042", note: "bank transfer" } });
    expect(settled?.refundedMinor).toBe(short.refundedMinor);
  });

  it("answers the same reference again as the case stands, whatever the note", () => {
    const settled = settle(short, "FIN-2026-0042", "bank transfer")!;
    expect(settle(settled, " FIN-2026-0042", "another note")).toBeUndefined();
  });

  it("refuses another reference on a settled shortfall", () => {
    const settled = settle(short, "FIN-2026-0042")!;
    expect(() => settle(settled, "VOUCHER-7")).toThrow(expect.objectContaining({ code: "after-sales.shortfall-already-settled" }));
    expect(() => settle(settled, "VOUCHER-7")).toThrow(IllegalStateError);
  });

  it("refuses a case without a shortfall", () => {
    expect(() => settle(resolved(), "FIN-2026-0042")).toThrow(expect.objectContaining({ code: "after-sales.no-refund-shortfall" }));
  });

  it("refuses a missing or long reference and a long note, before anything else", () => {
    for (const [reference, note] of [["  ", ""], ["x".repeat(101), ""], ["FIN-1", "n".repeat(501)]] as const) {
      expect(() => settle(short, reference, note)).toThrow(ValidationError);
      expect(() => settle(resolved(), reference, note)).toThrow(ValidationError);
    }
    expect(settle(short, "x".repeat(100), "n".repeat(500))?.refundShortfall?.settlement?.reference).toHaveLength(100);
  });
});
