import { describe, expect, it } from "vitest";
import { percentilesOf } from "../../support/latency-stats.ts";
import { targetsOf, type JudgedResults } from "./targets.ts";

/** A run's figures with only what the two latency verdicts read set; the rest left empty. */
function run(overrides: { rate?: number; intake?: Partial<JudgedResults["intake"]>; lifecycle?: Partial<JudgedResults["lifecycle"]> }): JudgedResults {
  return {
    run: { rate: overrides.rate ?? 1000, durationS: 60, warmupS: 20, drainS: 30, mix: "", thinkMs: [50, 200], chain: "", namespace: "" },
    intake: { offered: 80_000, dropped: 0, failed: 0, failures: {}, latencyMs: percentilesOf([10, 20, 30]), ...overrides.intake },
    lifecycle: { endOf: {}, measuredOrders: 100, reachedEnd: 100, notReachedEnd: 0, pipelineMs: percentilesOf([500, 900]), ...overrides.lifecycle },
    processes: { summary: {} },
  } as unknown as JudgedResults;
}
const verdict = (r: JudgedResults, name: string) => targetsOf(r, []).find((t) => t.name === name)!;

describe("the intake latency target", () => {
  it("is met when every request of the window was accepted fast and none was dropped", () => {
    expect(verdict(run({}), "intake latency")).toMatchObject({ met: true });
  });

  it("is not met when requests were refused or lost, however fast the accepted ones were", () => {
    const refused = verdict(run({ intake: { failed: 3, failures: { "503": 2, "no answer": 1 } } }), "intake latency");
    expect(refused).toMatchObject({ met: false, note: "3 requests not accepted (503: 2, no answer: 1)" });
    expect(refused.actual).toContain("p99 30 ms over the 3 accepted answers");
  });

  it("is not met when the generator dropped requests", () => {
    expect(verdict(run({ intake: { dropped: 5 } }), "intake latency")).toMatchObject({ met: false, note: "5 dropped by the generator" });
  });

  it("is not judged away from 1,000/s", () => {
    expect(verdict(run({ rate: 200, intake: { failed: 3 } }), "intake latency")).toMatchObject({ met: null, note: "needs --rate 1000" });
  });
});

describe("the lifecycle latency target", () => {
  it("is met when every measured order reached its end and p99 is within 2 s", () => {
    expect(verdict(run({}), "lifecycle latency")).toMatchObject({ met: true });
  });

  it("is not met when an order did not reach its end, and says its p99 is a lower bound", () => {
    const stuck = verdict(run({ lifecycle: { reachedEnd: 99, notReachedEnd: 1 } }), "lifecycle latency");
    expect(stuck).toMatchObject({ met: false, note: "1 of 100 orders did not reach their end within the drain" });
    expect(stuck.actual).toBe("p99 ≥ 900 ms over 100 orders, 1 not at their end when the drain ended (p99 is a lower bound when orders did not finish)");
  });

  it("is not met when no order reached its end, instead of having nothing to judge", () => {
    expect(verdict(run({ lifecycle: { reachedEnd: 0, notReachedEnd: 100, pipelineMs: percentilesOf([30_000]) } }), "lifecycle latency")).toMatchObject({ met: false });
  });

  it("is not met over 2 s", () => {
    expect(verdict(run({ lifecycle: { pipelineMs: percentilesOf([2_500]) } }), "lifecycle latency")).toMatchObject({ met: false, note: "p99 over 2 s" });
  });
});

describe("the lifecycle throughput target", () => {
  it("names the end the orders reached, or says none got far enough", () => {
    expect(verdict(run({ rate: 2000, lifecycle: { reachedEndPerSecond: 22.9 } as never }), "lifecycle throughput")).toMatchObject({
      actual: "22.9/s to their end",
      met: null,
      note: "no order got far enough to tell",
    });
    expect(verdict(run({ lifecycle: { endOf: { goods: "closed" }, reachedEndPerSecond: 31.8 } as never }), "lifecycle throughput")).toMatchObject({
      actual: "31.8/s to closed",
      met: false,
    });
  });
});
