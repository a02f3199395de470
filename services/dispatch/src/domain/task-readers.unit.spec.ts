import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@oms/errors";
import { assertMayReadTask, type TaskReader } from "./task-readers.ts";

const task = { taskId: "delivery:o-1", assigneeStaffId: "rider-li" };
const staff = (id: string, role: string): TaskReader => ({ kind: "staff", id, role });

describe("who reads a task (ADR 022, twenty-seventh session, second reading)", () => {
  it("shows it to its assignee, whatever their role, and to the desk that manages the store's tasks", () => {
    for (const reader of [staff("rider-li", "rider"), staff("d-1", "dispatcher"), staff("m-1", "store-manager"), staff("sv-1", "supervisor"), staff("cs-1", "customer-service")]) {
      expect(() => assertMayReadTask(reader, task), `${reader.id}`).not.toThrow();
    }
  });

  it("refuses anyone else on the staff, naming who may, however near the task they work", () => {
    for (const reader of [staff("rider-wang", "rider"), staff("wc-1", "warehouse-clerk"), staff("ot-1", "order-taker"), staff("f-1", "finance"), staff("a-1", "auditor")]) {
      expect(() => assertMayReadTask(reader, task), `${reader.id}`).toThrow(ForbiddenError);
    }
    expect(() => assertMayReadTask(staff("rider-wang", "rider"), task)).toThrow(
      expect.objectContaining({
        code: "dispatch.task-not-yours",
        message: "only the task's assignee, a dispatcher, the store manager, a supervisor or a customer-service agent read task delivery:o-1; the caller is staff with role rider",
      }),
    );
    // A task not yet given to anyone is no one's own.
    expect(() => assertMayReadTask(staff("rider-li", "rider"), { taskId: "delivery:o-2" })).toThrow(ForbiddenError);
    expect(() => assertMayReadTask({ kind: "customer", id: "c-1", role: "customer" }, task)).toThrow(ForbiddenError);
  });
});
