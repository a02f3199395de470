import { describe, expect, it } from "vitest";
import { lifecycleTimes, pipelineTimeOf, unionLengthWithin } from "./pipeline-time.ts";

const stretch = (from: number, to?: number) => (to === undefined ? { from } : { from, to });

describe("people's time", () => {
  it("counts overlapping stretches once", () => {
    expect(unionLengthWithin([stretch(0, 40), stretch(10, 50)], 0, 1_000)).toBe(50);
  });

  it("counts a stretch inside another not at all", () => {
    expect(unionLengthWithin([stretch(0, 100), stretch(20, 30), stretch(40, 60)], 0, 1_000)).toBe(100);
  });

  it("adds disjoint stretches, in whatever order they were recorded", () => {
    expect(unionLengthWithin([stretch(200, 230), stretch(0, 40), stretch(100, 150)], 0, 1_000)).toBe(120);
  });

  it("counts only what lies between the due time and the end, a stretch still open running to the end", () => {
    // A refund thought over after the end held nothing up; the thinking at the drain's end did.
    expect(unionLengthWithin([stretch(-50, 20), stretch(900, 1_200), stretch(950)], 0, 1_000)).toBe(120);
    expect(unionLengthWithin([stretch(10, 5)], 0, 1_000)).toBe(0);
  });
});

describe("pipeline time", () => {
  it("leaves out people's time once where two people held the order at the same time", () => {
    // Due at 0, at its end at 500; the assignee acknowledged (100–300) while the clerk picked (150–350).
    const order = { dueAt: 0, endAt: 500, heldByPeople: [stretch(100, 300), stretch(150, 350)] };
    expect(pipelineTimeOf(order, 10_000)).toEqual({ pipelineMs: 250, peopleMs: 250, reachedEnd: true });
  });

  it("counts an order not at its end when the drain ended with its time until then", () => {
    expect(pipelineTimeOf({ dueAt: 1_000, endAt: undefined, heldByPeople: [stretch(1_100, 1_200)] }, 31_000)).toEqual({ pipelineMs: 29_900, peopleMs: 100, reachedEnd: false });
    // Its end arrived after the drain: not seen in time, judged like one still on its way.
    expect(pipelineTimeOf({ dueAt: 1_000, endAt: 40_000, heldByPeople: [] }, 31_000)).toEqual({ pipelineMs: 30_000, peopleMs: 0, reachedEnd: false });
  });

  it("judges every measured order: stuck ones weigh on the percentiles instead of dropping out", () => {
    const fast = Array.from({ length: 97 }, () => ({ dueAt: 0, endAt: 300, heldByPeople: [stretch(50, 150)] }));
    const stuck = Array.from({ length: 3 }, () => ({ dueAt: 0, endAt: undefined, heldByPeople: [] }));
    const times = lifecycleTimes([...fast, ...stuck], 30_000);
    expect(times).toMatchObject({ measured: 100, reachedEnd: 97 });
    expect(times.pipelineMs).toMatchObject({ p50: 200, p99: 30_000 });
    expect(times.peopleMs).toMatchObject({ p50: 100, max: 100 });
  });
});
