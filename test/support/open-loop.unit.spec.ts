import { describe, expect, it } from "vitest";
import { runOpenLoop, type OpenLoopResult } from "./open-loop.ts";

describe("open-loop load", () => {
  it("sends at the rate whatever the answers take, and measures from the due time", async () => {
    const results: OpenLoopResult<number>[] = [];
    // Every answer takes 150 ms: a closed loop would send 3 requests in 400 ms; the open loop sends 40.
    const summary = await runOpenLoop<number>({
      rate: 100,
      durationMs: 400,
      send: (i) => new Promise((resolve) => setTimeout(() => resolve(i), 150)),
      onResult: (r) => results.push(r),
    });
    expect(summary.offered).toBe(40);
    expect(summary.dropped).toBe(0);
    expect(results).toHaveLength(40);
    expect(Math.min(...results.map((r) => r.latencyMs))).toBeGreaterThanOrEqual(145);
    const due = results.map((r) => r.dueAt).sort((a, b) => a - b);
    const dueGaps = due.slice(1).map((at, i) => at - due[i]!);
    for (const gap of dueGaps) expect(gap).toBeCloseTo(10, 5);
  });

  it("charges a stall to every request that waited behind it", async () => {
    const results: OpenLoopResult<void>[] = [];
    let release: () => void = () => {};
    const stall = new Promise<void>((resolve) => (release = resolve));
    setTimeout(release, 300);
    await runOpenLoop({ rate: 50, durationMs: 200, send: () => stall, onResult: (r) => results.push(r) });
    // The first request was due at 0 and answered at ~300 ms; the last was due at ~180 ms.
    const first = results.reduce((a, b) => (a.dueAt < b.dueAt ? a : b));
    expect(first.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it("counts requests beyond the in-flight limit as dropped instead of queueing them without bound", async () => {
    const summary = await runOpenLoop({
      rate: 200,
      durationMs: 100,
      maxOutstanding: 5,
      send: () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
      onResult: () => {},
    });
    expect(summary.offered).toBe(20);
    expect(summary.sent).toBe(5);
    expect(summary.dropped).toBe(15);
  });

  it("reports a failed send as an error result, not as a crash", async () => {
    const results: OpenLoopResult<void>[] = [];
    await runOpenLoop({ rate: 100, durationMs: 30, send: () => Promise.reject(new Error("refused")), onResult: (r) => results.push(r) });
    expect(results.length).toBe(3);
    expect(results.every((r) => r.error?.message === "refused")).toBe(true);
  });
});
