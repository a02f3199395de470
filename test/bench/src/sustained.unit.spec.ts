import { describe, expect, it } from "vitest";
import { sustainedRate, sustains } from "./sustained.ts";

const seconds = (counts: number[]) => counts.map((count, second) => ({ second, count }));
const steady = (n: number) => Array.from({ length: 60 }, () => n);

describe("a sustained rate", () => {
  it("is held when batches move answers between neighbouring seconds", () => {
    const counts = steady(2000);
    counts[26] = 1718;
    counts[27] = 2282;
    const rate = sustainedRate(seconds(counts), 60);
    expect(rate).toEqual({ answeredPerSecond: 2000, lowestFiveSeconds: 1943.6, lowestSecond: 1718 }); // seconds 22–26
    expect(sustains({ ...rate, acceptedPerSecond: 2000 }, 2000)).toBe(true);
  });

  it("is not held through a stall of a second", () => {
    const counts = steady(2000);
    counts[30] = 0;
    counts[31] = 2400; // the queue drains over the next seconds, too slowly to make up for it
    const rate = sustainedRate(seconds(counts), 60);
    expect(rate.lowestFiveSeconds).toBe(1600); // seconds 26–30
    expect(sustains({ ...rate, acceptedPerSecond: 2000 }, 2000)).toBe(false);
  });

  it("is not held when a queue grows, even slowly", () => {
    const rate = sustainedRate(seconds(steady(1960)), 60);
    expect(rate.lowestFiveSeconds).toBe(1960);
    expect(rate.answeredPerSecond).toBe(1960);
    expect(sustains({ ...rate, acceptedPerSecond: 2000 }, 2000)).toBe(false);
  });

  it("leaves out the first second, whose orders are still on their way, and counts no answer after the window", () => {
    const counts = [...steady(2000), 3000];
    counts[0] = 900;
    const rate = sustainedRate(seconds(counts), 60);
    expect(rate.lowestFiveSeconds).toBe(2000);
    expect(rate.answeredPerSecond).toBe(1981.7);
    expect(rate.lowestSecond).toBe(2000);
  });

  it("is not held when orders were refused or dropped", () => {
    const rate = sustainedRate(seconds(steady(2000)), 60);
    expect(sustains({ ...rate, acceptedPerSecond: 1990 }, 2000)).toBe(false);
  });
});
