import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { decideCase } from "./case-decisions.ts";
import { recordVisitProgress, visitOnResolution, type VisitProgress } from "./case-visit.ts";
import { evolveCaseBy, type AfterSalesCase } from "./case.ts";
import { caseFixture } from "./case-fixture.ts";
import { nextRound, rejectableUntil, rejectVisit, type RejectVisit } from "./visit-rejection.ts";

const at = new Date("2026-12-08T08:00:00Z");
const hours = (n: number) => new Date(at.getTime() + n * 3600_000);
const agent = { kind: "staff" as const, id: "cs-1", role: "customer-service" };
const customer = { kind: "customer" as const, id: "c-1", role: "customer" };

const opened = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => caseFixture({ kind: "repair", openedAt: at, ...more });
const accept = (c: AfterSalesCase) => evolveCaseBy(c, decideCase({ type: "AcceptCase", caller: agent, assigneeStaffId: "tech-1", note: "", now: at }, c))!;
const resolve = (c: AfterSalesCase) =>
  evolveCaseBy(c, decideCase({ type: "ResolveCase", caller: agent, resolution: "exchanged", cause: "product", refundMinor: 0, order: { grandTotalMinor: 100, currency: "CNY", refundedByOtherCases: 0 }, now: at }, c))!;
const news = (c: AfterSalesCase, ...progress: VisitProgress[]) => progress.reduce(recordVisitProgress, c);
const reported = (round: number, reportId: string, when = at): VisitProgress => ({ type: "reported", staffId: "tech-1", at: when, summary: `fixed, round ${round}`, reportId, round });
const visited = () =>
  news(
    accept(opened()),
    { type: "assigned", staffId: "tech-1" },
    { type: "scheduled", staffId: "tech-1", from: at, until: hours(1) },
    reported(0, "rep-0"),
  );
const ask = (more: Partial<RejectVisit> = {}): RejectVisit => ({ caller: customer, reason: "  it stopped heating again the next day ", now: hours(1), acceptanceHours: 72, ...more });
const refusal = (fn: () => unknown) => {
  try {
    fn();
    return "granted";
  } catch (error) {
    return error instanceof ValidationError ? `ValidationError ${error.fields.map((f) => f.field).join(", ")}` : `${(error as Error).constructor.name} ${(error as { code?: string }).code}`;
  }
};

describe("a customer rejecting a repair visit's report", () => {
  it("sends the visit back for rework: the next round, the report and who rejected it when and why kept, nobody holding it yet", () => {
    const rejected = rejectVisit(visited(), ask())!;
    expect(rejected.status).toBe("accepted");
    expect(rejected.visit).toEqual({
      taskId: "after-sales-visit:case-1",
      status: "rework",
      round: 1,
      exceptions: [],
      pastRounds: [
        {
          round: 0,
          report: { at, by: "tech-1", summary: "fixed, round 0", reportId: "rep-0" },
          rejection: { at: hours(1), by: "customer:c-1", reason: { clear: "it stopped heating again the next day" } },
        },
      ],
    });
  });

  it("is open within the acceptance period after the report, to its last moment, and refused after it", () => {
    expect(rejectableUntil(visited().visit!, 72)).toEqual(hours(72));
    expect(rejectVisit(visited(), ask({ now: hours(72) }))?.visit.status).toBe("rework");
    expect(refusal(() => rejectVisit(visited(), ask({ now: new Date(hours(72).getTime() + 1) })))).toBe("IllegalStateError after-sales.acceptance-period-over");
  });

  it("needs a reason, within 2,000 characters", () => {
    expect(refusal(() => rejectVisit(visited(), ask({ reason: "   " })))).toBe("ValidationError reason");
    expect(refusal(() => rejectVisit(visited(), ask({ reason: "x".repeat(2001) })))).toBe("ValidationError reason");
  });

  it("is refused before any report, on a case without a visit, and on a resolved case", () => {
    const scheduled = news(accept(opened()), { type: "assigned", staffId: "tech-1" });
    expect(refusal(() => rejectVisit(scheduled, ask()))).toBe("IllegalStateError after-sales.visit-not-reported");
    expect(refusal(() => rejectVisit(accept(opened({ kind: "return" })), ask()))).toBe("IllegalStateError after-sales.no-visit");
    expect(refusal(() => rejectVisit(resolve(visited()), ask()))).toBe("IllegalStateError after-sales.case-resolved");
  });

  it("is taken once a round: the same words by the same caller answer as it stands, anything else is refused", () => {
    const rejected = rejectVisit(visited(), ask())!;
    expect(rejectVisit(rejected, ask({ now: hours(2) }))).toBeUndefined();
    expect(refusal(() => rejectVisit(rejected, ask({ reason: "and it leaks" })))).toBe("IllegalStateError after-sales.visit-already-rejected");
    expect(refusal(() => rejectVisit(rejected, ask({ caller: agent })))).toBe("IllegalStateError after-sales.visit-already-rejected");
  });

  it("answers a retry as it stands after dispatch already took the new round on, until the round's report is in", () => {
    // Dispatch reopens the task and assigns it within moments: a retry after a lost answer finds the new round under way.
    const taken = news(rejectVisit(visited(), ask())!, { type: "assigned", staffId: "tech-1" }, { type: "scheduled", staffId: "tech-1", from: hours(24), until: hours(25) });
    expect(taken.visit?.status).toBe("scheduled");
    expect(rejectVisit(taken, ask({ now: hours(2) }))).toBeUndefined();
    expect(refusal(() => rejectVisit(taken, ask({ reason: "and it leaks" })))).toBe("IllegalStateError after-sales.visit-already-rejected");
    expect(refusal(() => rejectVisit(taken, ask({ caller: agent })))).toBe("IllegalStateError after-sales.visit-already-rejected");
  });

  it("follows the new round to its report, which may be rejected in turn, opening the round after", () => {
    const rejected = rejectVisit(visited(), ask())!;
    expect(nextRound(rejected.visit)).toBe(2);
    // The rejected round's report heard again is no news; the new round's report ends it.
    const again = news(rejected, reported(0, "rep-0"), { type: "assigned", staffId: "tech-1" }, reported(1, "rep-1", hours(30)));
    expect(again.visit).toMatchObject({ status: "done", round: 1, doneAt: hours(30), reportId: "rep-1", summary: "fixed, round 1" });
    const twice = rejectVisit(again, ask({ now: hours(31), reason: "still cold" }))!;
    expect(twice.visit.round).toBe(2);
    expect(twice.visit.pastRounds.map((r) => [r.round, r.report.reportId, r.rejection.reason])).toEqual([
      [0, "rep-0", { clear: "it stopped heating again the next day" }],
      [1, "rep-1", { clear: "still cold" }],
    ]);
  });

  it("names the round it rejects: a retry of a recorded rejection answers as it stands however far the next round went, and a superseded round's report is refused", () => {
    const rejected = rejectVisit(visited(), ask({ round: 0 }))!;
    expect(rejected.visit.round).toBe(1);
    // The new round's report is in: the retry of round 0's rejection (its answer lost) is that rejection, not a new one.
    const reworked = news(rejected, { type: "assigned", staffId: "tech-1" }, reported(1, "rep-1", hours(30)));
    expect(rejectVisit(reworked, ask({ round: 0, now: hours(31) }))).toBeUndefined();
    // Round 0's report was superseded by round 1's: other words, or another caller, naming it are refused as such.
    expect(refusal(() => rejectVisit(reworked, ask({ round: 0, now: hours(31), reason: "and it leaks" })))).toBe("IllegalStateError after-sales.visit-report-superseded");
    expect(refusal(() => rejectVisit(reworked, ask({ round: 0, now: hours(31), caller: agent })))).toBe("IllegalStateError after-sales.visit-report-superseded");
    // While the new round's report is awaited, round 0 is already rejected and the new round has nothing to reject.
    expect(refusal(() => rejectVisit(rejected, ask({ round: 0, reason: "and it leaks" })))).toBe("IllegalStateError after-sales.visit-already-rejected");
    expect(refusal(() => rejectVisit(rejected, ask({ round: 1 })))).toBe("IllegalStateError after-sales.visit-not-reported");
    // A round not reached yet, or no round at all.
    expect(refusal(() => rejectVisit(reworked, ask({ round: 2, now: hours(31) })))).toBe("IllegalStateError after-sales.visit-not-reported");
    expect(refusal(() => rejectVisit(reworked, ask({ round: -1, now: hours(31) })))).toBe("ValidationError round");
    // Round 1's report named, with the very words of round 0's rejection: a new rejection, the round after opened.
    expect(rejectVisit(reworked, ask({ round: 1, now: hours(31) }))?.visit.round).toBe(2);
  });

  it("without a round (callers before rounds were named) rejects the report in now, but takes the words that opened the round under way, by the same caller, as that rejection again", () => {
    const rejected = rejectVisit(visited(), ask())!;
    const reworked = news(rejected, { type: "assigned", staffId: "tech-1" }, reported(1, "rep-1", hours(30)));
    expect(rejectVisit(reworked, ask({ now: hours(31) }))).toBeUndefined();
    expect(rejectVisit(reworked, ask({ now: hours(31), reason: "still cold" }))?.visit.round).toBe(2);
    expect(rejectVisit(reworked, ask({ now: hours(31), caller: agent }))?.visit.round).toBe(2);
  });

  it("answers a retry of a recorded rejection as it stands once the case is resolved too; any other rejection of a resolved case is refused as such", () => {
    const resolved = resolve(rejectVisit(visited(), ask({ round: 0 }))!);
    expect(resolved.status).toBe("resolved");
    // The answer to the rejection was lost and the desk resolved the case meanwhile: the retry is that rejection, not a refusal.
    expect(rejectVisit(resolved, ask({ round: 0, now: hours(2) }))).toBeUndefined();
    expect(rejectVisit(resolved, ask({ now: hours(2) }))).toBeUndefined();
    expect(refusal(() => rejectVisit(resolved, ask({ round: 0, now: hours(2), reason: "and it leaks" })))).toBe("IllegalStateError after-sales.case-resolved");
    expect(refusal(() => rejectVisit(resolved, ask({ round: 0, now: hours(2), caller: agent })))).toBe("IllegalStateError after-sales.case-resolved");
    expect(refusal(() => rejectVisit(resolved, ask({ round: 1, now: hours(2) })))).toBe("IllegalStateError after-sales.case-resolved");
    expect(refusal(() => rejectVisit(resolve(visited()), ask()))).toBe("IllegalStateError after-sales.case-resolved");
  });

  it("is called off with the case resolved while its round is open", () => {
    const rejected = rejectVisit(visited(), ask())!;
    expect(visitOnResolution(rejected.visit)?.status).toBe("called-off");
    expect(resolve(rejected).visit?.status).toBe("called-off");
  });
});
