import { describe, expect, it } from "vitest";
import { NotFoundError } from "@oms/errors";
import { assertMayReadTask, taskNotFound, type TaskReader } from "./task-readers.ts";

const task = { taskId: "delivery:o-1", storeId: "store-jingan", assigneeStaffId: "rider-li" };
// Without stores: a member of staff working chain-wide, as the gateway says it (chainWide), never by leaving stores out.
const staff = (id: string, role: string, stores?: readonly string[]): TaskReader =>
  stores === undefined ? { kind: "staff", id, role, chainWide: true } : { kind: "staff", id, role, stores };

/** What the reader is told, as the caller would read it: the error's class, code and message. */
const answerTo = (reader: TaskReader, read: { taskId: string; storeId: string; assigneeStaffId?: string } = task) => {
  try {
    assertMayReadTask(reader, read);
    return "read";
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { unknown: error instanceof NotFoundError, code, message };
  }
};

describe("who reads a task (ADR 022, twenty-seventh session, second reading)", () => {
  it("shows it to its assignee, whatever their role, and to the desk that manages the store's tasks", () => {
    for (const reader of [staff("rider-li", "rider"), staff("d-1", "dispatcher"), staff("m-1", "store-manager"), staff("sv-1", "supervisor"), staff("cs-1", "customer-service")]) {
      expect(answerTo(reader), `${reader.id}`).toBe("read");
    }
    // Held to stores, the task's among them.
    expect(answerTo(staff("d-1", "dispatcher", ["store-pudong", "store-jingan"]))).toBe("read");
    expect(answerTo(staff("rider-li", "rider", ["store-jingan"]))).toBe("read");
  });

  it("answers anyone else exactly as for a task nobody created, so the answer tells no one which ids exist (twenty-eighth session)", () => {
    const unknown = { unknown: true, code: "dispatch.task-not-found", message: "no task delivery:o-1" };
    expect({ unknown: true, code: taskNotFound("delivery:o-1").code, message: taskNotFound("delivery:o-1").message }).toEqual(unknown);
    for (const reader of [staff("rider-wang", "rider"), staff("wc-1", "warehouse-clerk"), staff("ot-1", "order-taker"), staff("f-1", "finance"), staff("a-1", "auditor")]) {
      expect(answerTo(reader), `${reader.id}`).toMatchObject(unknown);
    }
    // A task not yet given to anyone is no one's own.
    expect(answerTo(staff("rider-li", "rider"), { taskId: "delivery:o-1", storeId: "store-jingan" })).toMatchObject(unknown);
    expect(answerTo({ kind: "customer", id: "c-1", role: "customer" })).toMatchObject(unknown);
  });

  it("answers the desk or the assignee held to other stores as for a task nobody created", () => {
    const unknown = { unknown: true, code: "dispatch.task-not-found", message: "no task delivery:o-1" };
    expect(answerTo(staff("d-2", "dispatcher", ["store-pudong"]))).toMatchObject(unknown);
    expect(answerTo(staff("rider-li", "rider", ["store-pudong"]))).toMatchObject(unknown);
  });

  it("fails closed: a reader who names no store and is not said to work chain-wide reaches no store's task, the desk and the assignee alike", () => {
    const unknown = { unknown: true, code: "dispatch.task-not-found", message: "no task delivery:o-1" };
    for (const reader of [
      { kind: "staff", id: "d-1", role: "dispatcher" },
      { kind: "staff", id: "rider-li", role: "rider", stores: [] },
      { kind: "staff", id: "m-1", role: "store-manager", stores: [], chainWide: false },
    ]) {
      expect(answerTo(reader), reader.id).toMatchObject(unknown);
    }
  });
});
