import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import type { WorklistOrder } from "../../domain/worklist.ts";
import { nextWorklistPageToken, worklistPageOf } from "./worklist-pages.ts";

const pageOf = (order: WorklistOrder, request: Partial<{ pageSize: number; pageToken: string; limit: number }>) => {
  const errors: FieldError[] = [];
  const page = worklistPageOf(order, { pageSize: 0, pageToken: "", limit: 0, ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const last = { dueAtMicros: "1796119200000123", createdAtMicros: "1796119100000456", taskId: "task-7" };

describe.each(["soonest-due", "oldest-first"] as const)("a page of a worklist %s", (order) => {
  it("is 100 tasks unless asked, by pageSize or by limit, its older name", () => {
    expect(pageOf(order, {})).toEqual({ size: 100, after: undefined, refused: [] });
    expect(pageOf(order, { pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(pageOf(order, { limit: 3 })).toMatchObject({ size: 3, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field that asked it, and both sizes at once naming limit", () => {
    for (const size of [501, -1, 1.5]) {
      expect(pageOf(order, { pageSize: size }).refused, `pageSize ${size}`).toEqual(["pageSize"]);
      expect(pageOf(order, { limit: size }).refused, `limit ${size}`).toEqual(["limit"]);
    }
    expect(pageOf(order, { pageSize: 2, limit: 3 }).refused).toEqual(["limit"]);
  });

  it("gives no token at the end, and refuses any token it did not give, naming pageToken", () => {
    expect(nextWorklistPageToken(order, last, false)).toBe("");
    expect(nextWorklistPageToken(order, undefined, true)).toBe("");
    for (const pageToken of ["not-a-token", "%%%", forged(["1796119200000123"]), forged({ at: "1", id: "t" }), forged(["x", "y", "z"]), forged([])]) {
      expect(pageOf(order, { pageToken }).refused, pageToken).toEqual(["pageToken"]);
    }
  });
});

describe("a worklist's page token", () => {
  it("on a person's list, continues after the last task's due time, creation and id", () => {
    expect(pageOf("soonest-due", { pageToken: nextWorklistPageToken("soonest-due", last, true) })).toMatchObject({ after: last, refused: [] });
  });

  it("on a store's list, continues after the last task's creation and id, its due time not kept", () => {
    expect(pageOf("oldest-first", { pageToken: nextWorklistPageToken("oldest-first", last, true) })).toMatchObject({
      after: { dueAtMicros: "", createdAtMicros: last.createdAtMicros, taskId: last.taskId },
      refused: [],
    });
  });

  it("of a store's list is refused on a person's, whose position has a due time", () => {
    expect(pageOf("soonest-due", { pageToken: nextWorklistPageToken("oldest-first", last, true) }).refused).toEqual(["pageToken"]);
  });

  it("of a person's list is refused on a store's, where its due time would be read as the creation and its creation as the task id", () => {
    expect(pageOf("oldest-first", { pageToken: nextWorklistPageToken("soonest-due", last, true) }).refused).toEqual(["pageToken"]);
  });
});
