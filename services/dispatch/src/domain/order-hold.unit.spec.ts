import { describe, expect, it } from "vitest";
import { acknowledgeTimerKey, assignmentOfTimerKey, holdChangeOf, planResume } from "./order-hold.ts";
import { decide, pendingTask, type AssignTask, type Task } from "./task.ts";

const change = (fromStatus: string, toStatus: string, holdReason = "") => holdChangeOf({ fromStatus, toStatus, holdReason });

describe("an order's status change, for its tasks", () => {
  it("pauses them on a force-majeure hold only", () => {
    expect(change("assigned", "on-hold", "force-majeure")).toBe("pause");
    expect(change("on-hold", "on-hold", "force-majeure")).toBe("pause");
    for (const reason of ["awaiting-stock", "awaiting-credit", "awaiting-customer", "awaiting-payment"]) expect(change("credit-checked", "on-hold", reason)).toBeUndefined();
  });

  it("resumes them when the order leaves a hold, also for the hold it was in before, but not to be cancelled", () => {
    expect(change("on-hold", "assigned")).toBe("resume");
    expect(change("on-hold", "on-hold", "awaiting-stock")).toBe("resume");
    expect(change("on-hold", "shipped")).toBe("resume");
    expect(change("on-hold", "cancelled")).toBeUndefined();
    expect(change("assigned", "picked")).toBeUndefined();
  });
});

describe("timer keys of hold rounds", () => {
  it("are as before until a pause, then never reused, and name their assignment", () => {
    expect(acknowledgeTimerKey("a-1")).toBe("a-1");
    expect(acknowledgeTimerKey("a-1", 0)).toBe("a-1");
    expect(acknowledgeTimerKey("a-1", 2)).toBe("a-1~fm2");
    expect(assignmentOfTimerKey("a-1~fm2")).toBe("a-1");
    expect(assignmentOfTimerKey("a-1")).toBe("a-1");
  });
});

describe("resuming a paused task", () => {
  const heldSince = new Date("2026-12-07T08:00:00Z");
  const now = new Date("2026-12-07T14:00:00Z");
  const windows = { acknowledgeWithinMs: 30 * 60_000, escalateAfterMs: 20 * 60_000 };

  it("gives an assignment still waiting a whole new window from now", () => {
    expect(planResume({ status: "assigned", assignmentId: "a-1", heldSince }, [], now, windows)).toEqual({ acknowledgeBy: new Date("2026-12-07T14:30:00Z"), steps: [] });
    expect(planResume({ status: "acknowledged", assignmentId: "a-1", heldSince }, [], now, windows).acknowledgeBy).toBeUndefined();
    expect(planResume({ status: "pending", heldSince }, [], now, windows).acknowledgeBy).toBeUndefined();
  });

  it("gives a step the time it had left when paused, from now; a warned one a whole escalation wait; an escalated one nothing", () => {
    const plan = planResume(
      { status: "in-progress", assignmentId: "a-1", heldSince },
      [
        { step: "arrival", dueAt: new Date("2026-12-07T07:00:00Z"), level: 1 },
        { step: "report", dueAt: new Date("2026-12-07T09:30:00Z"), level: 0 },
        { step: "acknowledgement", dueAt: new Date("2026-12-07T06:00:00Z"), level: 2 },
      ],
      now,
      windows,
    );
    expect(plan.steps).toEqual([
      { step: "arrival", level: 2, dueAt: new Date("2026-12-07T14:20:00Z") },
      { step: "report", level: 1, dueAt: new Date("2026-12-07T15:30:00Z") },
    ]);
    expect(planResume({ status: "in-progress", heldSince }, [{ step: "report", dueAt: new Date("2026-12-07T07:00:00Z"), level: 0 }], now, windows).steps).toEqual([
      { step: "report", level: 1, dueAt: now },
    ]);
    expect(planResume({ status: "in-progress", heldSince }, [{ step: "arrival", dueAt: heldSince, level: 2 }], now, windows).steps).toEqual([]);
  });
});

describe("a paused task", () => {
  it("is given to nobody", () => {
    const task: Task = {
      ...pendingTask({
        taskId: "t-1",
        orderId: "o-1",
        storeId: "s-1",
        kind: "delivery",
        region: "Jing'an",
        skills: ["delivery"],
        priority: 1,
        createdAt: new Date("2026-12-07T08:00:00Z"),
        origin: { correlationId: "c", causationId: "e", traceparent: "" },
      }),
      heldSince: new Date("2026-12-07T09:00:00Z"),
    };
    const command: AssignTask = { type: "AssignTask", candidates: [], now: new Date("2026-12-07T10:00:00Z"), fencingToken: 1, assignmentId: "a-1", acknowledgeWithinMs: 60_000 };
    expect(decide(command, task)).toEqual([]);
    // Not paused, the same task is decided (queued: nobody here).
    const { heldSince: _held, ...running } = task;
    expect(decide(command, running)[0]?.type).toBe("TaskQueued");
  });
});
