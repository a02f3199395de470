import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { casePageOf, defaultCasePageSize, nextCasePageToken, type CaseListOrder } from "./case-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; limit: number; pageToken: string }>, order: CaseListOrder = "newest-first") => {
  const errors: FieldError[] = [];
  const page = casePageOf({ pageSize: 0, limit: 0, pageToken: "", ...request }, order, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const last = { atMicros: "1796119200000123", caseId: "case-7" };

describe("a page of an after-sales case list", () => {
  it("is the default size unless asked, by pageSize or by limit, its older name", () => {
    expect(pageOf({})).toEqual({ size: defaultCasePageSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(pageOf({ limit: 3 })).toMatchObject({ size: 3, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field asked, and both names at once naming limit", () => {
    for (const pageSize of [501, -1, 1.5]) expect(pageOf({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
    for (const limit of [501, -1]) expect(pageOf({ limit }).refused, String(limit)).toEqual(["limit"]);
    expect(pageOf({ pageSize: 2, limit: 2 }).refused).toEqual(["limit"]);
  });

  it("continues after the last case shown in the same order when there is more, and gives no token at the end", () => {
    for (const order of ["newest-first", "earliest-due-first"] as const) {
      expect(pageOf({ pageToken: nextCasePageToken(order, last, true) }, order), order).toMatchObject({ after: last, refused: [] });
    }
    expect(nextCasePageToken("newest-first", last, false)).toBe("");
    expect(nextCasePageToken("newest-first", undefined, true)).toBe("");
  });

  it("refuses a token of the other order, naming pageToken, rather than read its position as this order's", () => {
    expect(pageOf({ pageToken: nextCasePageToken("newest-first", last, true) }, "earliest-due-first")).toMatchObject({ after: undefined, refused: ["pageToken"] });
    expect(pageOf({ pageToken: nextCasePageToken("earliest-due-first", last, true) }, "newest-first")).toMatchObject({ after: undefined, refused: ["pageToken"] });
  });

  it("refuses any token it did not give, naming pageToken", () => {
    const refused = [
      "not-a-token",
      "%%%",
      forged(["1796119200000123", "case-1"]),
      forged(["newest-first", 1796119200000123, "case-1"]),
      forged(["newest-first", "9999999999999999999", "case-1"]),
      forged(["newest-first", "1", ""]),
      forged(["sideways", "1", "case-1"]),
      forged({ order: "newest-first", at: "1", id: "case-1" }),
    ];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
