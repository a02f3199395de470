import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { defaultDisputePageSize, disputePageOf, nextDisputePageToken } from "./dispute-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = disputePageOf({ pageSize: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a page of a store's settlement disputes", () => {
  it("is the default size unless asked", () => {
    expect(pageOf({})).toEqual({ size: defaultDisputePageSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming pageSize", () => {
    for (const pageSize of [501, -1, 1.5]) expect(pageOf({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
  });

  it("continues after the last dispute shown when there is more, and gives no token at the end", () => {
    const last = { openedAtMicros: "1796119200000123", disputeId: "dispute-7" };
    expect(pageOf({ pageToken: nextDisputePageToken(last, true) })).toMatchObject({ after: last, refused: [] });
    expect(nextDisputePageToken(last, false)).toBe("");
    expect(nextDisputePageToken(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken", () => {
    const refused = ["not-a-token", "%%%", forged(["1796119200000123"]), forged([1796119200000123, "d-1"]), forged(["9999999999999999999", "d-1"]), forged(["1", ""]), forged(["1", "d".repeat(201)]), forged({ at: "1", id: "d" })];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
