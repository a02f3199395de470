import { describe, expect, it } from "vitest";
import { judgeVisitRework, type VisitCaseRow, type VisitRoundAnnouncements } from "./visit-rework-judgement.ts";

/**
 * The rework check must fail on every way a rejected visit report can go wrong under faults:
 * a healthy run's facts, then one planted violation at a time.
 */
function healthy(): { cases: VisitCaseRow[]; announced: VisitRoundAnnouncements } {
  return {
    cases: [
      // Never rejected: reported once in round 0.
      { case_id: "v-1", round: 0, status: "done", rejected_rounds: [] },
      // Rejected once; round 1 reported.
      { case_id: "v-2", round: 1, status: "done", rejected_rounds: [0] },
      // Rejected twice; round 2 called off with its case.
      { case_id: "v-3", round: 2, status: "called-off", rejected_rounds: [0, 1] },
    ],
    announced: {
      rejections: new Map([
        ["v-2", [1]],
        ["v-3", [1, 2]],
      ]),
      reworksStarted: new Map([
        ["v-2", [1]],
        ["v-3", [1, 2]],
      ]),
      reports: new Map([
        ["v-1", [0]],
        ["v-2", [0, 1]],
        ["v-3", [0, 1]],
      ]),
    },
  };
}

describe("every rejected visit report got one new round that ended", () => {
  it("holds for a healthy run, counting the rounds reported and called off", () => {
    const { cases, announced } = healthy();
    expect(judgeVisitRework(cases, announced)).toEqual({ failures: [], figure: "3 visits, 3 reports rejected: 2 new rounds reported, 1 called off with their case; 0 problems" });
  });

  it.each([
    ["a round never opened by dispatch", (f: ReturnType<typeof healthy>) => f.announced.reworksStarted.set("v-2", []), "case v-2: round 1 opened 0 times by dispatch"],
    ["a round opened twice by dispatch (a rejection heard again)", (f: ReturnType<typeof healthy>) => f.announced.reworksStarted.set("v-2", [1, 1]), "case v-2: round 1 opened 2 times by dispatch"],
    ["a rejection announced twice", (f: ReturnType<typeof healthy>) => f.announced.rejections.set("v-2", [1, 1]), "case v-2: round 1 announced opened 2 times by after-sales"],
    ["a new round that never ended", (f: ReturnType<typeof healthy>) => f.announced.reports.set("v-2", [0]), "case v-2: round 1 reported 0 times, its visit done in round 1"],
    ["a new round reported twice", (f: ReturnType<typeof healthy>) => f.announced.reports.set("v-2", [0, 1, 1]), "case v-2: round 1 reported 2 times"],
    [
      "a retried rejection that threw a report away (a third round nobody asked for)",
      (f: ReturnType<typeof healthy>) => f.announced.reworksStarted.set("v-2", [1, 2]),
      "case v-2: round 2 opened by dispatch though no rejection opened it",
    ],
    ["a visit whose round is not its rejections' count", (f: ReturnType<typeof healthy>) => (f.cases[1] = { ...f.cases[1]!, round: 2, status: "rework" }), "case v-2: in round 2 after 1 rejected reports"],
  ])("fails on %s", (_what, plant, failure) => {
    const facts = healthy();
    plant(facts);
    expect(judgeVisitRework(facts.cases, facts.announced).failures).toContain(failure);
  });
});
