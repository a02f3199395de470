import { describe, expect, it } from "vitest";
import { visitSkillsOf, visitTaskOf, type AcceptedCase } from "./after-sales-visit.ts";
import { decide, type Task } from "./task.ts";
import type { StaffWorkload } from "./staff.ts";

const acceptedAt = new Date("2026-12-08T02:00:00Z");
const accepted: AcceptedCase = {
  caseId: "case-1",
  caseKind: "repair",
  orderId: "o-1",
  storeId: "s-1",
  goods: [{ sku: "KETTLE-1", quantity: 1 }],
  handlerStaffId: "tech-b",
  acceptedAt,
};
const origin = { correlationId: "corr-1", causationId: "evt-1", traceparent: "" };

describe("an after-sales visit's task", () => {
  it("is a service task of the case at the order's store, in the district of the order's own work, the case's handler preferred", () => {
    const task = visitTaskOf(accepted, "after-sales-visit:case-1", { region: "Jing'an", serviceSkills: [] }, origin);
    expect(task).toMatchObject({
      taskId: "after-sales-visit:case-1",
      orderId: "o-1",
      storeId: "s-1",
      kind: "service",
      status: "pending",
      region: "Jing'an",
      skills: ["repair"],
      priority: 50,
      preferredStaffId: "tech-b",
      afterSalesCase: { caseId: "case-1", caseKind: "repair", goods: [{ sku: "KETTLE-1", quantity: 1 }] },
      createdAt: acceptedAt,
    });
    expect(task.dueFrom).toBeUndefined();
  });

  it("needs the skills of the order's service when it had one, else the case's kind; maintenance waits behind repairs", () => {
    expect(visitSkillsOf("repair", { region: "x", serviceSkills: ["installation", "", "installation"] })).toEqual(["installation"]);
    expect(visitSkillsOf("maintenance", undefined)).toEqual(["maintenance"]);
    const upkeep = visitTaskOf({ ...accepted, caseKind: "maintenance", handlerStaffId: " " }, "t", undefined, origin);
    expect(upkeep).toMatchObject({ priority: 0, region: "", skills: ["maintenance"] });
    expect(upkeep.preferredStaffId).toBeUndefined();
  });
});

describe("assigning a task whose requester named someone", () => {
  const now = new Date("2026-12-08T03:00:00Z");
  const person = (staffId: string, activeTasks: number): StaffWorkload => ({
    staff: {
      staffId,
      storeId: "s-1",
      name: staffId,
      roles: ["service-staff"],
      skills: [{ skill: "repair", level: 2 }],
      regions: ["Jing'an"],
      capacity: 3,
      shift: { start: "00:00", end: "23:59", days: [1, 2, 3, 4, 5, 6, 7] },
      timezone: "UTC",
      active: true,
    },
    activeTasks,
  });
  const assign = (task: Task, candidates: StaffWorkload[], storePinned?: string) =>
    decide({ type: "AssignTask", candidates, now, fencingToken: 1, assignmentId: "a-1", acknowledgeWithinMs: 60_000, ...(storePinned ? { preferredStaffId: storePinned } : {}) }, task);
  const visit = visitTaskOf(accepted, "after-sales-visit:case-1", { region: "Jing'an", serviceSkills: [] }, origin);

  it("gives it to the named person when eligible, even if busier and the store pins someone else", () => {
    expect(assign(visit, [person("tech-a", 0), person("tech-b", 2), person("tech-c", 0)], "tech-c")).toMatchObject([{ type: "TaskAssigned", staffId: "tech-b" }]);
  });

  it("falls back to the store's pinned person, then to the least loaded, when the named one cannot take it", () => {
    const named = { ...visit, preferredStaffId: "cs-wang" };
    expect(assign(named, [person("tech-a", 1), person("tech-c", 2)], "tech-c")).toMatchObject([{ type: "TaskAssigned", staffId: "tech-c" }]);
    expect(assign(named, [person("tech-a", 1), person("tech-c", 0)])).toMatchObject([{ type: "TaskAssigned", staffId: "tech-c" }]);
    // Who declined or missed it is not offered it again, named or not.
    expect(assign({ ...visit, excludedStaffIds: ["tech-b"] }, [person("tech-a", 1), person("tech-b", 0)])).toMatchObject([{ type: "TaskAssigned", staffId: "tech-a" }]);
  });
});
