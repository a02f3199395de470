import { describe, expect, it } from "vitest";
import { runsByKind } from "./runs-by-kind.ts";

interface Step {
  order: string;
  kind: string;
}
const step = (order: string, kind: string): Step => ({ order, kind });
const runsOf = (steps: Step[]) => runsByKind(steps, (s) => s.order, (s) => s.kind).map((run) => run.map((s) => `${s.order}:${s.kind}`));

describe("grouping a batch's steps into runs of one kind", () => {
  it("makes one run per kind when every order brings the same sequence, instead of one per step", () => {
    const steps = ["a", "b", "c"].flatMap((order) => [step(order, "accept"), step(order, "close")]);
    expect(runsOf(steps)).toEqual([
      ["a:accept", "b:accept", "c:accept"],
      ["a:close", "b:close", "c:close"],
    ]);
  });

  it("keeps each order's steps in the order they came", () => {
    const steps = [step("a", "close"), step("b", "request"), step("b", "close"), step("a", "request")];
    const runs = runsOf(steps).flat();
    expect(runs.indexOf("a:close")).toBeLessThan(runs.indexOf("a:request"));
    expect(runs.indexOf("b:request")).toBeLessThan(runs.indexOf("b:close"));
    expect(runs).toHaveLength(4);
  });

  it("groups steps of different orders by kind, in the order the kinds first appear", () => {
    const steps = [step("a", "request"), step("b", "close"), step("c", "request"), step("d", "close")];
    expect(runsOf(steps)).toEqual([
      ["a:request", "c:request"],
      ["b:close", "d:close"],
    ]);
  });

  it("gives nothing for nothing", () => {
    expect(runsOf([])).toEqual([]);
  });
});
