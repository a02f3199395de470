import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { staffIn, rolesThatDecide, rolesThatSetPolicy, type CaseCaller } from "./case-callers.ts";
import { decideCase, repeatsStepTaken, type CaseCommand } from "./case-decisions.ts";
import { evolveCaseBy, type AfterSalesCase } from "./case.ts";
import { caseFixture } from "./case-fixture.ts";

const openedAt = new Date("2026-12-01T08:00:00Z");
const now = new Date("2026-12-01T10:00:00Z");
const agent: CaseCaller = { kind: "staff", id: "cs-1", role: "customer-service" };
const order = { grandTotalMinor: 30_000, currency: "CNY", refundedByOtherCases: 0 };

const opened = (more: Partial<AfterSalesCase> = {}): AfterSalesCase =>
  caseFixture({ kind: "return", channel: "phone", description: { clear: "the kettle leaks" }, openedAt, ...more });
const complaint = (more: Partial<AfterSalesCase> = {}) => opened({ kind: "complaint", lines: [], respondBy: new Date(openedAt.getTime() + 24 * 3600_000), ...more });

const accept: CaseCommand = { type: "AcceptCase", caller: agent, assigneeStaffId: "tech-7", note: "pick up on Monday", now };
const resolveWith = (more: Partial<Extract<CaseCommand, { type: "ResolveCase" }>> = {}): CaseCommand => ({
  type: "ResolveCase",
  caller: agent,
  resolution: "took the kettle back, refunded it",
  cause: "product",
  refundMinor: 10_000,
  order,
  now,
  ...more,
});
const run = (state: AfterSalesCase, ...commands: CaseCommand[]) => commands.reduce((s, command) => evolveCaseBy(s, decideCase(command, s))!, state);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return `fields ${error.fields.map((f) => f.field).join(", ")}`;
    return `${(error as Error).constructor.name} ${(error as { code?: string }).code}`;
  }
  return "no error";
};

describe("deciding a case", () => {
  it("accepts an open case with who handles it, and resolves it with the cause and the refund", () => {
    const accepted = run(opened(), accept);
    expect(accepted).toMatchObject({ status: "accepted", assigneeStaffId: "tech-7", decidedBy: "staff:cs-1", decidedAt: now, decisionNote: "pick up on Monday" });
    expect(decideCase(resolveWith(), accepted)).toEqual([{ type: "CaseResolved", resolution: "took the kettle back, refunded it", cause: "product", refundMinor: 10_000, by: "staff:cs-1", at: now }]);
    expect(run(accepted, resolveWith())).toMatchObject({ status: "resolved", cause: "product", refundMinor: 10_000, resolvedBy: "staff:cs-1", resolvedAt: now });
  });

  it("declines an open case with an explanation, and nothing after that", () => {
    const declined = run(opened(), { type: "DeclineCase", caller: agent, explanation: "damaged by misuse", now });
    expect(declined).toMatchObject({ status: "declined", decisionNote: "damaged by misuse" });
    expect(refusal(() => decideCase(accept, declined))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase({ type: "DeclineCase", caller: agent, explanation: "again", now }, declined))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase(resolveWith(), declined))).toBe("IllegalStateError after-sales.case-not-accepted");
  });

  it("refuses the steps out of turn: resolving an open case, accepting twice, resolving twice (other than as a repeat)", () => {
    expect(refusal(() => decideCase(resolveWith(), opened()))).toBe("IllegalStateError after-sales.case-not-accepted");
    expect(refusal(() => decideCase({ ...accept, assigneeStaffId: "tech-8" } as CaseCommand, run(opened(), accept)))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase(resolveWith({ refundMinor: 0 }), run(opened(), accept, resolveWith())))).toBe("IllegalStateError after-sales.case-not-accepted");
  });

  it("refuses each missing or wrong field by name", () => {
    expect(refusal(() => decideCase({ ...accept, assigneeStaffId: " ", note: "x".repeat(2001) } as CaseCommand, opened()))).toBe("fields assigneeStaffId, note");
    expect(refusal(() => decideCase({ type: "DeclineCase", caller: agent, explanation: "  ", now }, opened()))).toBe("fields explanation");
    const accepted = run(opened(), accept);
    expect(refusal(() => decideCase(resolveWith({ resolution: "", cause: "weather", refundMinor: -1 }), accepted))).toBe("fields resolution, cause, refundMinor");
    expect(refusal(() => decideCase(resolveWith({ refundMinor: 1.5 }), accepted))).toBe("fields refundMinor");
  });

  it("gives back at most the order's total less what its other cases gave back", () => {
    const accepted = run(opened(), accept);
    expect(decideCase(resolveWith({ refundMinor: 30_000 }), accepted)).toHaveLength(1);
    expect(refusal(() => decideCase(resolveWith({ refundMinor: 30_001 }), accepted))).toBe("fields refundMinor");
    const others = { ...order, refundedByOtherCases: 25_000 };
    expect(decideCase(resolveWith({ refundMinor: 5_000, order: others }), accepted)).toHaveLength(1);
    try {
      decideCase(resolveWith({ refundMinor: 5_001, order: others }), accepted);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields).toEqual([{ field: "refundMinor", message: "must be at most 5000 CNY: the order's total of 30000 less 25000 given back by its other cases" }]);
    }
    expect(decideCase(resolveWith({ refundMinor: 0, order: { ...order, refundedByOtherCases: 30_000 } }), accepted)).toHaveLength(1);
  });
});

describe("a step repeated after a lost answer", () => {
  const other: CaseCaller = { kind: "staff", id: "cs-2", role: "customer-service" };
  const decline: CaseCommand = { type: "DeclineCase", caller: agent, explanation: "damaged by misuse", now };
  const answer: CaseCommand = { type: "AnswerComplaint", caller: agent, answer: "we are sorry", now };
  const later = new Date(now.getTime() + 60_000);

  it("decides nothing when the same caller repeats an acceptance, also once the case is resolved; other content or another caller stays refused", () => {
    const accepted = run(opened(), accept);
    expect(decideCase({ ...accept, now: later, assigneeStaffId: " tech-7 " } as CaseCommand, accepted)).toEqual([]);
    expect(decideCase(accept, run(accepted, resolveWith()))).toEqual([]);
    expect(refusal(() => decideCase({ ...accept, assigneeStaffId: "tech-8" } as CaseCommand, accepted))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase({ ...accept, note: "" } as CaseCommand, accepted))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase({ ...accept, caller: other } as CaseCommand, accepted))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase(accept, run(opened(), decline)))).toBe("IllegalStateError after-sales.case-not-open");
  });

  it("decides nothing for the same decline by the same caller; not for a decline by the policy or with another explanation", () => {
    const declined = run(opened(), decline);
    expect(decideCase({ ...decline, now: later }, declined)).toEqual([]);
    expect(refusal(() => decideCase({ ...decline, explanation: "not ours" } as CaseCommand, declined))).toBe("IllegalStateError after-sales.case-not-open");
    expect(refusal(() => decideCase({ ...decline, caller: other } as CaseCommand, declined))).toBe("IllegalStateError after-sales.case-not-open");
    const byPolicy = opened({ status: "declined", withinPolicy: false, policyNote: "damaged by misuse", decidedBy: "system:after-sales", decidedAt: now, decisionNote: "damaged by misuse" });
    expect(refusal(() => decideCase(decline, byPolicy))).toBe("IllegalStateError after-sales.case-not-open");
  });

  it("decides nothing for the same answer by the same caller, whatever became of the complaint since; another text or caller stays refused", () => {
    const answered = run(complaint(), answer);
    expect(answered.answeredBy).toBe("staff:cs-1");
    expect(decideCase({ ...answer, now: later }, answered)).toEqual([]);
    expect(decideCase(answer, run(answered, accept, resolveWith({ refundMinor: 0 })))).toEqual([]);
    expect(refusal(() => decideCase({ ...answer, answer: "sorry" } as CaseCommand, answered))).toBe("IllegalStateError after-sales.complaint-already-answered");
    expect(refusal(() => decideCase({ ...answer, caller: other } as CaseCommand, answered))).toBe("IllegalStateError after-sales.complaint-already-answered");
    // Answered before who answered was recorded: no one to compare with, so refused as before.
    expect(refusal(() => decideCase(answer, { ...answered, answeredBy: undefined }))).toBe("IllegalStateError after-sales.complaint-already-answered");
  });

  it("decides nothing for the same resolution, cause and refund by the same caller; any difference stays refused", () => {
    const resolved = run(opened(), accept, resolveWith());
    // The bound is not checked again: the refund is already counted among the order's.
    expect(decideCase(resolveWith({ now: later, order: { ...order, refundedByOtherCases: 30_000 } }), resolved)).toEqual([]);
    for (const different of [{ resolution: "repaired" }, { cause: "carrier" }, { refundMinor: 9_999 }, { caller: other }]) {
      expect(refusal(() => decideCase(resolveWith(different), resolved))).toBe("IllegalStateError after-sales.case-not-accepted");
    }
  });

  it("is no repeat for a step not taken yet", () => {
    expect(repeatsStepTaken(accept, opened())).toBe(false);
    expect(repeatsStepTaken(answer, complaint())).toBe(false);
    expect(repeatsStepTaken(resolveWith(), run(opened(), accept))).toBe(false);
    expect(repeatsStepTaken({ type: "FlagOverdueComplaint", now }, complaint())).toBe(false);
  });
});

describe("a complaint", () => {
  const answer = (at: Date): CaseCommand => ({ type: "AnswerComplaint", caller: agent, answer: "we are sorry; a voucher is on its way", now: at });

  it("is answered once, in time or late, and resolved only once answered", () => {
    const accepted = run(complaint(), accept);
    expect(refusal(() => decideCase(resolveWith({ refundMinor: 0, cause: "service" }), accepted))).toBe("IllegalStateError after-sales.complaint-unanswered");
    expect(decideCase(answer(now), accepted)).toEqual([{ type: "ComplaintAnswered", answer: "we are sorry; a voucher is on its way", late: false, by: "staff:cs-1", at: now }]);
    const answered = run(accepted, answer(now));
    expect(refusal(() => decideCase({ ...answer(now), answer: "a second answer" } as CaseCommand, answered))).toBe("IllegalStateError after-sales.complaint-already-answered");
    expect(run(answered, resolveWith({ refundMinor: 0, cause: "service" }))).toMatchObject({ status: "resolved", answeredAt: now });
    const afterDue = new Date(openedAt.getTime() + 24 * 3600_000 + 1);
    expect(decideCase(answer(afterDue), complaint())).toMatchObject([{ late: true }]);
    expect(decideCase(answer(new Date(openedAt.getTime() + 24 * 3600_000)), complaint())).toMatchObject([{ late: false }]);
  });

  it("is answered late once escalated, even at its respond-by time (the answer waited for the timer that escalated it)", () => {
    const respondBy = complaint().respondBy!;
    const escalated = run(complaint(), { type: "FlagOverdueComplaint", now: respondBy });
    expect(decideCase(answer(respondBy), escalated)).toMatchObject([{ type: "ComplaintAnswered", late: true }]);
  });

  it("is the only kind answered, and not once declined", () => {
    expect(refusal(() => decideCase(answer(now), opened()))).toBe("IllegalStateError after-sales.not-a-complaint");
    const declined = run(complaint(), { type: "DeclineCase", caller: agent, explanation: "not ours", now });
    expect(refusal(() => decideCase(answer(now), declined))).toBe("IllegalStateError after-sales.case-closed");
    expect(refusal(() => decideCase({ type: "AnswerComplaint", caller: agent, answer: " ", now }, complaint()))).toBe("fields answer");
  });

  it("is escalated to the store manager once when its time passes unanswered, and not when answered or closed", () => {
    const overdue: CaseCommand = { type: "FlagOverdueComplaint", now };
    expect(decideCase(overdue, complaint())).toEqual([{ type: "CaseOverdue", respondBy: complaint().respondBy, escalatedTo: ["store-manager"], at: now }]);
    const escalated = run(complaint(), overdue);
    expect(escalated.escalatedAt).toEqual(now);
    expect(decideCase(overdue, escalated)).toEqual([]);
    expect(decideCase(overdue, run(complaint(), answer(now)))).toEqual([]);
    expect(decideCase(overdue, run(complaint(), { type: "DeclineCase", caller: agent, explanation: "no", now }))).toEqual([]);
    expect(decideCase(overdue, opened())).toEqual([]);
    // Accepted but still unanswered: still escalated.
    expect(decideCase(overdue, run(complaint(), accept))).toHaveLength(1);
  });
});

describe("who decides", () => {
  it("is customer service, a supervisor or the store manager; the policy is the store manager's", () => {
    for (const role of ["customer-service", "supervisor", "store-manager"]) expect(staffIn({ kind: "staff", id: "x", role }, rolesThatDecide, "decide").id).toBe("x");
    expect(refusal(() => staffIn({ kind: "staff", id: "x", role: "order-taker" }, rolesThatDecide, "decide"))).toBe("ForbiddenError caller.not-permitted");
    expect(refusal(() => staffIn({ kind: "customer", id: "c-1", role: "store-manager" }, rolesThatDecide, "decide"))).toBe("ForbiddenError caller.not-permitted");
    expect(refusal(() => staffIn({ kind: "staff", id: "", role: "store-manager" }, rolesThatDecide, "decide"))).toBe("UnauthenticatedError caller.missing");
    expect(refusal(() => staffIn({ kind: "staff", id: "x", role: "customer-service" }, rolesThatSetPolicy, "publish"))).toBe("ForbiddenError caller.not-permitted");
  });
});
