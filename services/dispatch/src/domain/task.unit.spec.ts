import { describe, expect, it } from "vitest";
import type { Staff, StaffWorkload } from "./staff.ts";
import { decide, evolve, pendingTask, routeGroupOf, TaskRuleViolation, type AssignTask, type Task } from "./task.ts";

const now = new Date("2026-11-25T02:00:00Z");

const task = (overrides: Partial<Task> = {}): Task => ({
  ...pendingTask({
    taskId: "task-1",
    orderId: "order-1",
    storeId: "store-1",
    kind: "delivery",
    region: "Jing'an",
    skills: ["delivery"],
    priority: 1,
    createdAt: now,
    origin: { correlationId: "c-1", causationId: "e-1", traceparent: "" },
  }),
  ...overrides,
});

const rider: Staff = {
  staffId: "staff-1",
  storeId: "store-1",
  name: "Rider",
  roles: ["rider"],
  skills: [{ skill: "delivery", level: 1 }],
  regions: ["Jing'an"],
  capacity: 2,
  shift: { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] },
  timezone: "Asia/Shanghai",
  active: true,
};

const assign = (candidates: StaffWorkload[], overrides: Partial<AssignTask> = {}): AssignTask => ({
  type: "AssignTask",
  candidates,
  now,
  fencingToken: 42,
  assignmentId: "a-1",
  acknowledgeWithinMs: 30 * 60_000,
  ...overrides,
});

describe("task", () => {
  it("is assigned to the chosen person under the lock's token, with an acknowledgement deadline", () => {
    const events = decide(assign([{ staff: rider, activeTasks: 1 }]), task());
    expect(events).toEqual([
      {
        type: "TaskAssigned",
        assignmentId: "a-1",
        staffId: "staff-1",
        fencingToken: 42,
        assignedAt: now,
        acknowledgeBy: new Date("2026-11-25T02:30:00Z"),
        activeTasksBefore: 1,
      },
    ]);
    expect(evolve(task(), events[0]!)).toMatchObject({ status: "assigned", assigneeStaffId: "staff-1", fencingToken: 42 });
  });

  it("starts the acknowledgement clock of work ahead given to someone off duty now when their shift begins", () => {
    // Off shift now (10:00 in Shanghai); the delivery is due 20:00–22:00; the shift starts at 19:00.
    const evenings = { ...rider, shift: { start: "19:00", end: "23:00", days: [1, 2, 3, 4, 5] } };
    const tonight = task({ dueFrom: new Date("2026-11-25T12:00:00Z"), dueUntil: new Date("2026-11-25T14:00:00Z") });
    const [assigned] = decide(assign([{ staff: evenings, activeTasks: 0 }]), tonight);
    expect(assigned).toMatchObject({ type: "TaskAssigned", assignedAt: now, acknowledgeBy: new Date("2026-11-25T11:30:00Z") });
    // At work now: the clock starts now.
    const [now30] = decide(assign([{ staff: rider, activeTasks: 0 }]), tonight);
    expect(now30).toMatchObject({ acknowledgeBy: new Date("2026-11-25T02:30:00Z") });
  });

  it("is queued with the reason when nobody is eligible, announced only the first time", () => {
    const first = decide(assign([{ staff: rider, activeTasks: 2 }]), task());
    expect(first).toEqual([{ type: "TaskQueued", reason: "everyone eligible is at capacity", firstTime: true }]);
    const queued = evolve(task(), first[0]!);
    expect(queued).toMatchObject({ status: "pending", queuedReason: "everyone eligible is at capacity" });
    expect(decide(assign([]), queued)).toEqual([{ type: "TaskQueued", reason: "no active staff in store store-1", firstTime: false }]);
    expect(evolve(queued, { type: "TaskQueued", reason: "other", firstTime: false }).queuedReason).toBe("everyone eligible is at capacity");
  });

  it("leaves a task that is no longer pending alone", () => {
    const taken = task({ status: "assigned", assigneeStaffId: "staff-2", fencingToken: 7 });
    expect(decide(assign([{ staff: rider, activeTasks: 0 }]), taken)).toEqual([]);
    expect(decide(assign([{ staff: rider, activeTasks: 0 }]), task({ status: "cancelled" }))).toEqual([]);
  });

  it("refuses an acknowledgement window that is not positive", () => {
    expect(() => decide(assign([{ staff: rider, activeTasks: 0 }], { acknowledgeWithinMs: 0 }), task())).toThrow(TaskRuleViolation);
  });

  it("closes with its order: done when delivered by its assignee, called off otherwise, once", () => {
    const held = task({ status: "assigned", assigneeStaffId: "staff-1", fencingToken: 7 });
    expect(decide({ type: "CloseTask", end: "delivered" }, held)).toEqual([{ type: "TaskClosed", status: "done", releasedStaffId: "staff-1" }]);
    expect(decide({ type: "CloseTask", end: "cancelled" }, held)).toEqual([{ type: "TaskClosed", status: "cancelled", releasedStaffId: "staff-1" }]);
    expect(decide({ type: "CloseTask", end: "delivered" }, task())).toEqual([{ type: "TaskClosed", status: "cancelled" }]);
    const done = evolve(held, { type: "TaskClosed", status: "done", releasedStaffId: "staff-1" });
    expect(done.status).toBe("done");
    expect(decide({ type: "CloseTask", end: "cancelled" }, done)).toEqual([]);
  });
});

describe("acknowledging and releasing an assignment", () => {
  const assigned = () => {
    const [event] = decide(assign([{ staff: rider, activeTasks: 0 }]), task());
    return evolve(task(), event!);
  };

  it("lets only the assignee acknowledge, once", () => {
    const held = assigned();
    expect(() => decide({ type: "AcknowledgeAssignment", staffId: "someone-else", now }, held)).toThrow(/not assigned to someone-else/);
    const [event] = decide({ type: "AcknowledgeAssignment", staffId: rider.staffId, now }, held);
    expect(event).toEqual({ type: "AssignmentAcknowledged", assignmentId: "a-1", staffId: rider.staffId, acknowledgedAt: now });
    const acknowledged = evolve(held, event!);
    expect(acknowledged.status).toBe("acknowledged");
    expect(decide({ type: "AcknowledgeAssignment", staffId: rider.staffId, now }, acknowledged)).toEqual([]);
    expect(() => decide({ type: "AcknowledgeAssignment", staffId: rider.staffId, now }, task())).toThrow();
  });

  it("puts a declined task back to pending without its assignee, keeping the fencing token", () => {
    const held = assigned();
    expect(() => decide({ type: "ReleaseAssignment", cause: "declined", staffId: "someone-else", reason: "no", now }, held)).toThrow();
    const [event] = decide({ type: "ReleaseAssignment", cause: "declined", staffId: rider.staffId, reason: "ill", now }, held);
    expect(event).toMatchObject({ type: "AssignmentReleased", cause: "declined", assignmentId: "a-1", staffId: rider.staffId, reason: "ill" });
    const released = evolve(held, event!);
    expect(released).toMatchObject({ status: "pending", fencingToken: 42, excludedStaffIds: [rider.staffId] });
    expect(released.assigneeStaffId).toBeUndefined();
    expect(released.assignmentId).toBeUndefined();
  });

  it("ignores a deadline of an assignment that was acknowledged or replaced", () => {
    const held = assigned();
    const miss = { type: "ReleaseAssignment", cause: "missed", reason: "late", now } as const;
    expect(decide({ ...miss, assignmentId: "an-older-one" }, held)).toEqual([]);
    expect(decide({ ...miss, assignmentId: "a-1" }, { ...held, status: "acknowledged" })).toEqual([]);
    expect(decide({ ...miss, assignmentId: "a-1" }, held)).toHaveLength(1);
  });

  it("takes back acknowledged work only for a visit moved to a time its assignee cannot do", () => {
    const withdraw = { type: "ReleaseAssignment", cause: "withdrawn", reason: "off-shift", now } as const;
    for (const status of ["acknowledged", "in-progress"] as const) {
      const held = { ...assigned(), status };
      expect(decide(withdraw, held)).toEqual([]);
      expect(decide({ ...withdraw, includingAcknowledged: true }, held)).toMatchObject([{ type: "AssignmentReleased", cause: "withdrawn", staffId: rider.staffId }]);
    }
    expect(decide({ ...withdraw, includingAcknowledged: true }, { ...assigned(), status: "reported" })).toEqual([]);
  });

  it("allows a decline only before acknowledgement", () => {
    expect(() => decide({ type: "ReleaseAssignment", cause: "declined", staffId: rider.staffId, reason: "x", now }, { ...assigned(), status: "acknowledged" })).toThrow(
      /only an unacknowledged assignment/,
    );
  });
});

describe("route groups", () => {
  it("are fulfillment's route classification of a delivery's region; other tasks travel no route", () => {
    expect(routeGroupOf("delivery", "Jing'an")).toBe("route:Jing'an");
    expect(routeGroupOf("delivery", " ")).toBe("");
    expect(routeGroupOf("service", "Jing'an")).toBe("");
    expect(routeGroupOf("pickup-handover", "Jing'an")).toBe("");
  });
});
