import { describe, expect, it } from "vitest";
import { decideCase } from "./case-decisions.ts";
import { recordVisitProgress, type VisitProgress } from "./case-visit.ts";
import { evolveCaseBy, type AfterSalesCase } from "./case.ts";
import { caseFixture } from "./case-fixture.ts";

const at = new Date("2026-12-08T08:00:00Z");
const agent = { kind: "staff" as const, id: "cs-1", role: "customer-service" };
const opened = (more: Partial<AfterSalesCase> = {}): AfterSalesCase => caseFixture({ kind: "repair", channel: "phone", openedAt: at, ...more });
const accept = (c: AfterSalesCase) => evolveCaseBy(c, decideCase({ type: "AcceptCase", caller: agent, assigneeStaffId: "tech-1", note: "", now: at }, c))!;
const resolve = (c: AfterSalesCase) =>
  evolveCaseBy(c, decideCase({ type: "ResolveCase", caller: agent, resolution: "repaired on site", cause: "product", refundMinor: 0, order: { grandTotalMinor: 100, currency: "CNY", refundedByOtherCases: 0 }, now: at }, c))!;
const news = (c: AfterSalesCase, ...progress: VisitProgress[]) => progress.reduce(recordVisitProgress, c);
const exception = { exceptionId: "ex-1", kind: "no-show", cause: "nobody home", measure: "called, new time agreed", newTime: new Date("2026-12-09T08:00:00Z"), reportedAt: at, staffId: "tech-1" };

describe("a case's visit", () => {
  it("is asked for by accepting a repair or maintenance, named after the case; other kinds have none", () => {
    expect(accept(opened()).visit).toEqual({ taskId: "after-sales-visit:case-1", status: "requested", exceptions: [] });
    expect(accept(opened({ kind: "maintenance" })).visit?.status).toBe("requested");
    expect(accept(opened({ kind: "return" })).visit).toBeUndefined();
  });

  it("follows dispatch's news to done, with who, when and what was done; an exception is kept once", () => {
    const done = news(
      accept(opened()),
      { type: "queued", reason: "nobody has the skills repair" },
      { type: "assigned", staffId: "tech-1" },
      { type: "released" },
      { type: "assigned", staffId: "tech-2" },
      { type: "acknowledged", staffId: "tech-2" },
      { type: "scheduled", staffId: "tech-2", from: at, until: new Date(at.getTime() + 3600_000) },
      { type: "exception", exception },
      { type: "exception", exception },
      { type: "checked-in", staffId: "tech-2" },
      { type: "reported", staffId: "tech-2", at, summary: "replaced the heating element", reportId: "r-1" },
    );
    expect(done.visit).toEqual({
      taskId: "after-sales-visit:case-1",
      status: "done",
      staffId: "tech-2",
      appointmentFrom: at,
      appointmentUntil: new Date(at.getTime() + 3600_000),
      doneAt: at,
      doneBy: "tech-2",
      summary: "replaced the heating element",
      reportId: "r-1",
      exceptions: [exception],
    });
    // Resolving after the visit keeps its outcome.
    expect(resolve(done).visit?.status).toBe("done");
  });

  it("is called off by resolving the case before it was done; later news changes nothing but a report of work done", () => {
    const resolved = resolve(news(accept(opened()), { type: "assigned", staffId: "tech-1" }));
    expect(resolved.visit).toMatchObject({ status: "called-off" });
    expect(recordVisitProgress(resolved, { type: "acknowledged", staffId: "tech-1" })).toBe(resolved);
    expect(recordVisitProgress(resolved, { type: "reported", staffId: "tech-1", at, summary: "fixed", reportId: "r-1" }).visit).toMatchObject({ status: "done", doneBy: "tech-1" });
  });

  it("starts with the first news for a case accepted before visits existed, and is refused for a case that asked for none", () => {
    const acceptedEarlier: AfterSalesCase = { ...accept(opened()) };
    delete acceptedEarlier.visit;
    expect(recordVisitProgress(acceptedEarlier, { type: "assigned", staffId: "tech-1" }).visit).toMatchObject({ taskId: "after-sales-visit:case-1", status: "assigned" });
    expect(() => recordVisitProgress(opened(), { type: "assigned", staffId: "tech-1" })).toThrow(/no visit was asked/);
    expect(() => recordVisitProgress(accept(opened({ kind: "exchange" })), { type: "assigned", staffId: "tech-1" })).toThrow(/no visit was asked/);
  });
});
