import { describe, expect, it } from "vitest";
import { staffMember } from "../testing/fixtures.ts";
import { replanTask, type Replan } from "./replan.ts";
import type { Task } from "./task.ts";

const now = new Date("2026-11-24T02:00:00Z");
const task = (overrides: Partial<Task> = {}): Task => ({
  taskId: "t-1",
  orderId: "o-1",
  storeId: "store-a",
  kind: "delivery",
  region: "Jing'an",
  routeGroup: "route:Jing'an",
  skills: ["delivery"],
  priority: 1,
  status: "assigned",
  assigneeStaffId: "rider-1",
  assignmentId: "as-1",
  excludedStaffIds: [],
  createdAt: now,
  origin: { correlationId: "c", causationId: "", traceparent: "" },
  ...overrides,
});
const rider = staffMember("store-a", "rider-1", { regions: ["Jing'an", "Xuhui"] });
const replan = (overrides: Partial<Replan> = {}): Replan => ({ region: "Jing'an", dueFrom: undefined, dueUntil: undefined, storeId: "", reason: "corrected customer.address", ...overrides });

describe("re-planning an open task", () => {
  it("keeps the assignee who serves the new region, moving the task's region and route group", () => {
    const decision = replanTask(task(), replan({ region: "Xuhui" }), rider, now);
    expect(decision).toMatchObject({ kind: "replanned", withdraw: undefined, task: { region: "Xuhui", routeGroup: "route:Xuhui", assigneeStaffId: "rider-1" } });
  });

  it("withdraws an assignee who does not serve the new region, or who belongs to another store than the one the order moved to", () => {
    expect(replanTask(task(), replan({ region: "Pudong" }), rider, now)).toMatchObject({ withdraw: "re-planned (corrected customer.address): rider-1 does not serve Pudong" });
    expect(replanTask(task(), replan({ storeId: "store-b", reason: "routed to store-b" }), rider, now)).toMatchObject({
      task: { storeId: "store-b" },
      withdraw: "re-planned (routed to store-b): the order moved to store-b",
    });
  });

  it("withdraws an assignee off shift in the new window, and moves a task nobody holds without withdrawing anyone", () => {
    const dayShift = staffMember("store-a", "rider-1", { shift: { start: "09:00", end: "18:00", days: [1, 2, 3, 4, 5, 6, 7] } });
    // 23:00–23:30 in Shanghai.
    const late = replan({ dueFrom: new Date("2026-11-25T15:00:00Z"), dueUntil: new Date("2026-11-25T15:30:00Z") });
    expect(replanTask(task(), late, dayShift, now)).toMatchObject({ withdraw: expect.stringMatching(/rider-1 is off-shift then$/) });
    expect(replanTask(task({ status: "pending", assigneeStaffId: undefined }), late, undefined, now)).toMatchObject({ withdraw: undefined, task: { dueFrom: late.dueFrom } });
  });

  it("leaves a finished task alone", () => {
    expect(replanTask(task({ status: "done" }), replan({ region: "Pudong" }), rider, now)).toEqual({ kind: "nothing", why: "task is done" });
  });
});
