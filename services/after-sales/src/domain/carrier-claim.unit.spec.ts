import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import {
  fileCarrierClaim,
  followUpByOf,
  isCarrierClaimOverdue,
  overdueFiledUpTo,
  rejectCarrierClaim,
  settleCarrierClaim,
  type CaseWithCarrierClaim,
  type FileCarrierClaim,
} from "./carrier-claim.ts";
import type { CaseCaller } from "./case-callers.ts";
import type { AfterSalesCase } from "./case.ts";

const at = new Date("2026-12-08T10:00:00Z");
const later = new Date("2026-12-20T10:00:00Z");
const agent: CaseCaller = { kind: "staff", id: "cs-1", role: "customer-service" };
const otherAgent: CaseCaller = { kind: "staff", id: "cs-2", role: "customer-service" };
const finance: CaseCaller = { kind: "staff", id: "fin-1", role: "finance" };

const resolvedByCarrier = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => ({
  caseId: "case-1",
  orderId: "o-1",
  storeId: "s-1",
  kind: "return",
  channel: "phone",
  description: { clear: "the kettle arrived crushed" },
  lines: [{ sku: "KETTLE", quantity: 1 }],
  status: "resolved",
  openedBy: "staff:cs-1",
  openedAt: new Date("2026-12-07T08:00:00Z"),
  correlationId: "corr-1",
  withinPolicy: true,
  policyNote: "",
  assigneeStaffId: "cs-1",
  resolution: "kettle taken back, price refunded",
  cause: "carrier",
  refundMinor: 9_000,
  refundedMinor: 0,
  resolvedBy: "staff:cs-1",
  resolvedAt: at,
  goodsRestocked: 0,
  goodsWrittenOff: 0,
  ...more,
});

const filing = (more: Partial<FileCarrierClaim> = {}): FileCarrierClaim => ({
  caller: agent,
  carrier: " SF Express ",
  carrierReference: "SF1234567890",
  amountMinor: 9_000,
  order: { grandTotalMinor: 30_000, currency: "CNY", claimedByOtherCases: 0 },
  now: at,
  ...more,
});

const filed = (): CaseWithCarrierClaim => fileCarrierClaim(resolvedByCarrier(), filing())!;

/** How a step was refused: the error's class and code, and for invalid input the fields named. */
function refusalOf(step: () => unknown): string {
  try {
    step();
    return "granted";
  } catch (error) {
    if (error instanceof ValidationError) return `invalid ${error.fields.map((f) => f.field).join(", ")}`;
    if (error instanceof IllegalStateError) return `illegal ${error.code}`;
    throw error;
  }
}

describe("filing a claim against the carrier", () => {
  it("files it on a case resolved with cause carrier: the carrier trimmed, its reference, the amount, the order's currency, who and when", () => {
    expect(filed().carrierClaim).toEqual({
      status: "filed",
      carrier: "SF Express",
      carrierReference: "SF1234567890",
      claimedMinor: 9_000,
      currency: "CNY",
      filedAt: at,
      filedBy: "staff:cs-1",
    });
  });

  it("files without the carrier's reference when it is not known", () => {
    expect(fileCarrierClaim(resolvedByCarrier(), filing({ carrierReference: "" }))!.carrierClaim.carrierReference).toBe("");
  });

  it("claims up to the order's total, not a minor unit more", () => {
    expect(fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: 30_000 }))!.carrierClaim.claimedMinor).toBe(30_000);
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: 30_001 })))).toBe("invalid amountMinor");
  });

  it("claims at most the order's total less what its other cases claimed from carriers", () => {
    const order = { grandTotalMinor: 30_000, currency: "CNY", claimedByOtherCases: 25_000 };
    expect(fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: 5_000, order }))!.carrierClaim.claimedMinor).toBe(5_000);
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: 5_001, order })))).toBe("invalid amountMinor");
  });

  it("refuses a case not resolved, or resolved with another cause, naming why", () => {
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier({ status: "accepted" }), filing()))).toBe("illegal after-sales.case-not-resolved");
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier({ cause: "packaging" }), filing()))).toBe("illegal after-sales.cause-not-carrier");
  });

  it("names every wrong field: no carrier, a carrier or reference too long, an amount of 0, negative or fractional", () => {
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ carrier: "  ", amountMinor: 0 })))).toBe("invalid carrier, amountMinor");
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ carrier: "x".repeat(101), carrierReference: "r".repeat(101) })))).toBe("invalid carrier, carrierReference");
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: -5 })))).toBe("invalid amountMinor");
    expect(refusalOf(() => fileCarrierClaim(resolvedByCarrier(), filing({ amountMinor: 10.5 })))).toBe("invalid amountMinor");
  });

  it("answers the same filing by the same caller again as it stands, and refuses any other second filing", () => {
    expect(fileCarrierClaim(filed(), filing())).toBeUndefined();
    expect(refusalOf(() => fileCarrierClaim(filed(), filing({ amountMinor: 8_000 })))).toBe("illegal after-sales.carrier-claim-already-filed");
    expect(refusalOf(() => fileCarrierClaim(filed(), filing({ caller: otherAgent })))).toBe("illegal after-sales.carrier-claim-already-filed");
  });

  it("is to be chased 30 days after filing while the carrier has not answered", () => {
    expect(followUpByOf(filed().carrierClaim)).toEqual(new Date("2027-01-07T10:00:00Z"));
    expect(followUpByOf(settleCarrierClaim(filed(), { caller: finance, recoveredMinor: 1, now: later })!.carrierClaim)).toBeUndefined();
  });
});

describe("the carrier's answer to the claim", () => {
  it("settles it for what the carrier paid, in part or in full, with who and when", () => {
    const partly = settleCarrierClaim(filed(), { caller: finance, recoveredMinor: 6_000, now: later })!.carrierClaim;
    expect(partly).toMatchObject({ status: "settled", recoveredMinor: 6_000, closedAt: later, closedBy: "staff:fin-1", claimedMinor: 9_000 });
    expect(settleCarrierClaim(filed(), { caller: finance, recoveredMinor: 9_000, now: later })!.carrierClaim.recoveredMinor).toBe(9_000);
  });

  it("refuses a settlement of nothing, of more than was claimed, or fractional", () => {
    for (const recoveredMinor of [0, -1, 9_001, 1.5]) {
      expect(refusalOf(() => settleCarrierClaim(filed(), { caller: finance, recoveredMinor, now: later }))).toBe("invalid recoveredMinor");
    }
  });

  it("rejects it with the carrier's reason, trimmed, and refuses a rejection without one", () => {
    expect(rejectCarrierClaim(filed(), { caller: agent, reason: " packed without padding ", now: later })!.carrierClaim).toMatchObject({
      status: "rejected",
      rejectionReason: "packed without padding",
      closedAt: later,
      closedBy: "staff:cs-1",
    });
    expect(refusalOf(() => rejectCarrierClaim(filed(), { caller: agent, reason: "  ", now: later }))).toBe("invalid reason");
    expect(refusalOf(() => rejectCarrierClaim(filed(), { caller: agent, reason: "r".repeat(2_001), now: later }))).toBe("invalid reason");
  });

  it("refuses either answer on a case with no claim", () => {
    expect(refusalOf(() => settleCarrierClaim(resolvedByCarrier(), { caller: finance, recoveredMinor: 100, now: later }))).toBe("illegal after-sales.no-carrier-claim");
    expect(refusalOf(() => rejectCarrierClaim(resolvedByCarrier(), { caller: finance, reason: "no", now: later }))).toBe("illegal after-sales.no-carrier-claim");
  });

  it("answers the same answer by the same caller again as it stands; another answer, or the same by someone else, is refused: the carrier answers once", () => {
    const settled = settleCarrierClaim(filed(), { caller: finance, recoveredMinor: 6_000, now: later })!;
    expect(settleCarrierClaim(settled, { caller: finance, recoveredMinor: 6_000, now: later })).toBeUndefined();
    expect(refusalOf(() => settleCarrierClaim(settled, { caller: finance, recoveredMinor: 7_000, now: later }))).toBe("illegal after-sales.carrier-claim-closed");
    expect(refusalOf(() => settleCarrierClaim(settled, { caller: agent, recoveredMinor: 6_000, now: later }))).toBe("illegal after-sales.carrier-claim-closed");
    expect(refusalOf(() => rejectCarrierClaim(settled, { caller: finance, reason: "no", now: later }))).toBe("illegal after-sales.carrier-claim-closed");

    const rejected = rejectCarrierClaim(filed(), { caller: agent, reason: "not our damage", now: later })!;
    expect(rejectCarrierClaim(rejected, { caller: agent, reason: "not our damage", now: later })).toBeUndefined();
    expect(refusalOf(() => rejectCarrierClaim(rejected, { caller: agent, reason: "another reason", now: later }))).toBe("illegal after-sales.carrier-claim-closed");
    expect(refusalOf(() => settleCarrierClaim(rejected, { caller: agent, recoveredMinor: 100, now: later }))).toBe("illegal after-sales.carrier-claim-closed");
  });
});

describe("a claim to chase", () => {
  const claim = () => filed().carrierClaim;
  const dueAt = new Date(at.getTime() + 30 * 24 * 3600_000);

  it("is one still filed whose follow-up date has come, not a moment before", () => {
    expect(followUpByOf(claim())).toEqual(dueAt);
    expect(isCarrierClaimOverdue(claim(), new Date(dueAt.getTime() - 1))).toBe(false);
    expect(isCarrierClaimOverdue(claim(), dueAt)).toBe(true);
    expect(isCarrierClaimOverdue(claim(), new Date("2027-03-01T00:00:00Z"))).toBe(true);
  });

  it("is never one the carrier answered, however long ago it was filed", () => {
    const long = new Date("2027-06-01T00:00:00Z");
    expect(isCarrierClaimOverdue(settleCarrierClaim(filed(), { caller: finance, recoveredMinor: 1_000, now: later })!.carrierClaim, long)).toBe(false);
    expect(isCarrierClaimOverdue(rejectCarrierClaim(filed(), { caller: agent, reason: "packed badly", now: later })!.carrierClaim, long)).toBe(false);
  });

  it("says as a bound on the filing the same thing: filed at or before it, overdue now", () => {
    for (const now of [dueAt, new Date(dueAt.getTime() - 1), new Date(dueAt.getTime() + 1)]) {
      expect(claim().filedAt.getTime() <= overdueFiledUpTo(now).getTime(), now.toISOString()).toBe(isCarrierClaimOverdue(claim(), now));
    }
  });
});
