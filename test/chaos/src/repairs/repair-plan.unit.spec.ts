import { describe, expect, it } from "vitest";
import { exchangesOrder } from "../exchanges/exchange-plan.ts";
import { nextVisitStep, rejectsFirstReport, repairsOrder, type VisitTaskSeen } from "./repair-plan.ts";

const ids = Array.from({ length: 4_000 }, (_, i) => `order-${i}`);
const shareOf = (pick: (id: string) => boolean) => ids.filter(pick).length / ids.length;

describe("the repair desk's plan", () => {
  it("draws its shares from the order's id, apart from the exchanges' draw", () => {
    expect(shareOf((id) => repairsOrder(id, 0.2))).toBeCloseTo(0.2, 1);
    expect(shareOf((id) => rejectsFirstReport(id, 0.5))).toBeCloseTo(0.5, 1);
    expect(shareOf((id) => repairsOrder(id, 0))).toBe(0);
    // Independent draws: about a fifth of the exchanging orders repair too.
    const exchanging = ids.filter((id) => exchangesOrder(id, 0.5));
    expect(exchanging.filter((id) => repairsOrder(id, 0.2)).length / exchanging.length).toBeCloseTo(0.2, 1);
    expect(repairsOrder("order-7", 0.2)).toBe(repairsOrder("order-7", 0.2));
  });

  it("has the technician take the round's next step from the task as dispatch shows it", () => {
    const task = (status: string, more: Partial<VisitTaskSeen> = {}, round = 0, reports: number[] = []): VisitTaskSeen => ({ status, staffId: "tech-1", service: { round, reports: reports.map((r) => ({ round: r })) }, ...more });
    expect(nextVisitStep(task("pending", { staffId: "" }), 0, false)).toBe("wait");
    expect(nextVisitStep(task("assigned"), 0, false)).toBe("acknowledge");
    expect(nextVisitStep(task("acknowledged"), 0, false)).toBe("appointment");
    expect(nextVisitStep(task("acknowledged"), 0, true)).toBe("check-in");
    expect(nextVisitStep(task("in-progress"), 0, true)).toBe("record-and-report");
    expect(nextVisitStep(task("done", {}, 0, [0]), 0, true)).toBe("reported");
    // The rework round: nothing to do until dispatch reopened it, and round 0's report does not end round 1.
    expect(nextVisitStep(task("done", {}, 0, [0]), 1, false)).toBe("wait");
    expect(nextVisitStep(task("assigned", {}, 1, [0]), 1, false)).toBe("acknowledge");
    expect(nextVisitStep(task("done", {}, 1, [0, 1]), 1, true)).toBe("reported");
    expect(nextVisitStep(task("cancelled"), 0, false)).toBe("gone");
  });
});
