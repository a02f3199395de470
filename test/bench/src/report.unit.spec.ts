import { describe, expect, it } from "vitest";
import { percentilesOf } from "../../support/latency-stats.ts";
import { renderReport, renderSummary } from "./report.ts";
import type { BenchResults } from "./results.ts";
import { targetsOf } from "./targets.ts";

/** A 1,000/s run in which intake refused three requests and one order was still on its way when the drain ended. */
function troubledRun(): BenchResults {
  const r: BenchResults = {
    machine: { date: "2025-01-01T00:00:00Z", hostname: "h", cpus: 2, cpuModel: "cpu", memoryGb: 4, os: "linux", node: "24", java: "21", postgres: "17", kafka: "4", redis: "7", loadAverageAtStart: [0] },
    run: { rate: 1000, durationS: 60, warmupS: 20, drainS: 30, mix: "", thinkMs: [50, 200], chain: "bench", namespace: "b1" },
    notes: [],
    floor: {},
    intake: {
      offered: 80_000,
      dropped: 0,
      worstSendLagMs: 1,
      accepted: 59_997,
      acceptedPerSecond: 999.9,
      lowestSecond: 990,
      answeredPerSecond: 999.9,
      lowestFiveSeconds: 995,
      statuses: { "201": 79_997, "503": 3 },
      errors: {},
      failed: 3,
      failures: { "503": 3 },
      latencyMs: percentilesOf([10, 20, 30]),
      perSecond: [],
    },
    lifecycle: {
      endOf: { "goods/ship/prepaid": "closed" },
      measuredOrders: 100,
      reachedEnd: 99,
      notReachedEnd: 1,
      reachedEndPerSecond: 1.6,
      pipelineMs: percentilesOf([400, 1_500]),
      humanWaitMs: percentilesOf([300]),
      finalStatuses: { closed: 99, assigned: 1 },
      perSecond: [],
    },
    assignment: { decisions: 0, decisionsPerSecond: 0, perSecond: [] },
    consumerLag: { max: {}, atEnd: {}, series: [] },
    processes: { summary: {}, series: [], cpuMsPerOrder: {} },
    postgresActivity: { idleCommitsPerSecond: 0, commitsPerSecond: 0, commitsPerAcceptedOrder: null, statementsPerOrder: null, busyShareByService: {}, idleCpuPercent: {}, checkpointsInWindow: { timed: 0, requested: 2 } },
    eventsPerOrder: null,
    humanSteps: [],
    pipelineHops: [],
    ratios: {},
    targets: [],
  };
  r.targets = targetsOf(r, []);
  return r;
}

describe("the report", () => {
  it("shows why the latency targets were not met", () => {
    const report = renderReport(troubledRun());
    expect(report).toContain("| **no** (3 requests not accepted (503: 3)) |");
    expect(report).toContain("| **no** (1 of 100 orders did not reach their end within the drain) |");
    expect(report).toContain("p99 is a lower bound when orders did not finish");
  });

  it("shows the requests not accepted beside the latency, and the orders not at their end beside the pipeline time", () => {
    const report = renderReport(troubledRun());
    expect(report).toContain("| 20 ms | 30 ms | 30 ms | 30 ms | 3 | 0 | 1 ms |");
    expect(report).toContain("over the 3 accepted answers (200/201) of the window only: 3 requests due in it were not accepted (503: 3)");
    expect(report).toContain("| 100 | 99 | 1 | 1.6 | ≥ 400 ms | ≥ 1500 ms | ≥ 1500 ms | ≥ 1500 ms | 300 ms |");
  });

  it("says how many checkpoints the server started while the run measured", () => {
    expect(renderReport(troubledRun())).toContain("The server started 2 checkpoints in the measured window (0 by time, 2 requested: WAL filled or asked for).");
  });

  it("says so in the terminal's summary too", () => {
    const summary = renderSummary(troubledRun());
    expect(summary).toContain("p99 30 ms, max 30 ms over the accepted answers; 3 not accepted, 0 dropped");
    expect(summary).toContain("p99 ≥ 1500 ms over 100 orders, 1 not at their end when the drain ended");
    expect(summary).toContain("NOT met (1 of 100 orders did not reach their end within the drain)");
  });
});
