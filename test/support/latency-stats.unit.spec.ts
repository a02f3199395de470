import { describe, expect, it } from "vitest";
import { PerSecond, Samples, percentilesOf } from "./latency-stats.ts";

describe("percentiles", () => {
  it("takes the nearest rank, so p99 of 1..100 is 99 and the max is 100", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentilesOf(values)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
  });

  it("answers zeros for no samples rather than NaN", () => {
    expect(new Samples().percentiles()).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  });

  it("keeps every sample when it grows past its first buffer", () => {
    const samples = new Samples();
    for (let i = 0; i < 5_000; i++) samples.add(i % 2 === 0 ? 1 : 1_000);
    expect(samples.count).toBe(5_000);
    expect(samples.percentiles().p99).toBe(1_000);
  });

  it("buckets values by the second they fall in, with empty seconds as zero rows", () => {
    const series = new PerSecond(10_000);
    series.add(10_100, 5);
    series.add(10_900, 7);
    series.add(12_500, 9);
    expect(series.series().map((r) => [r.second, r.count, r.max])).toEqual([
      [0, 2, 7],
      [1, 0, 0],
      [2, 1, 9],
    ]);
  });
});
