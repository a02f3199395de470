import { describe, expect, it } from "vitest";
import { SameTurnGatherer } from "./same-turn-gatherer.ts";

describe("gathering what is handed over in one turn of the event loop", () => {
  it("works on items added in the same turn together, and on a later turn's items apart from them", async () => {
    const groups: number[][] = [];
    const gatherer = new SameTurnGatherer<number>(async (items) => void groups.push(items), () => {});
    const first = await Promise.all([gatherer.add(1), gatherer.add(2), gatherer.add(3)]);
    const later = await Promise.all([gatherer.add(4), gatherer.add(5)]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect([...first, ...later]).toEqual([true, true, true, true, true]);
  });

  it("leaves an item that came alone to its caller", async () => {
    let calls = 0;
    const gatherer = new SameTurnGatherer<number>(async () => void calls++, () => {});
    expect(await gatherer.add(1)).toBe(false);
    expect(calls).toBe(0);
  });

  it("hands every item back to its caller when working on them together fails, and reports why", async () => {
    const failures: [unknown, number][] = [];
    const gatherer = new SameTurnGatherer<number>(
      async () => {
        throw new Error("one of them is poison");
      },
      (error, count) => failures.push([error, count]),
    );
    expect(await Promise.all([gatherer.add(1), gatherer.add(2)])).toEqual([false, false]);
    expect(failures).toEqual([[new Error("one of them is poison"), 2]]);
  });
});
