import { describe, expect, it } from "vitest";
import { ProcessSampler } from "./process-sampler.ts";

describe("CPU time from the sampled shares", () => {
  const sampler = new ProcessSampler(() => ({}));
  sampler.samples.push(
    { at: 1_000, rssMb: {}, cpuPercent: { a: 0 } },
    { at: 2_000, rssMb: {}, cpuPercent: { a: 50, b: 100 } },
    { at: 4_000, rssMb: {}, cpuPercent: { a: 25 } },
    { at: 5_000, rssMb: {}, cpuPercent: { a: 100, b: 200 } },
  );

  it("weighs each share by its own interval", () => {
    // a: 0.5 × 1 s + 0.25 × 2 s + 1 × 1 s; b: 1 × 1 s + 2 × 1 s (both cores).
    expect(sampler.cpuMilliseconds()).toEqual({ a: 2_000, b: 3_000 });
  });

  it("counts only the intervals that end inside the window", () => {
    expect(sampler.cpuMilliseconds(2_000, 4_000)).toEqual({ a: 500 });
    expect(sampler.cpuMilliseconds(5_000)).toEqual({});
  });
});
