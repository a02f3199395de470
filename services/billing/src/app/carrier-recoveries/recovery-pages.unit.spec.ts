import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { defaultRecoveryPageSize, nextRecoveryPageToken, recoveryPageOf } from "./recovery-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; limit: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = recoveryPageOf({ pageSize: 0, limit: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a page of finance's carrier recoveries", () => {
  it("is the default size unless asked, sized by pageSize or by limit, its older name, as callers built before paging ask", () => {
    expect(pageOf({})).toEqual({ size: defaultRecoveryPageSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 7 })).toMatchObject({ size: 7, refused: [] });
    expect(pageOf({ limit: 500 })).toMatchObject({ size: 500, refused: [] });
  });

  it("refuses a size outside 1 to 500, and both names at once, naming the field", () => {
    expect(pageOf({ pageSize: 501 }).refused).toEqual(["pageSize"]);
    expect(pageOf({ limit: -1 }).refused).toEqual(["limit"]);
    expect(pageOf({ pageSize: 2.5 }).refused).toEqual(["pageSize"]);
    expect(pageOf({ pageSize: 10, limit: 10 }).refused).toEqual(["limit"]);
  });

  it("continues after the last recovery shown when there is more, and gives no token at the end", () => {
    const last = { dueByMicros: "1796119200000123", caseId: "case-7" };
    const token = nextRecoveryPageToken(last, true);
    expect(pageOf({ pageToken: token })).toMatchObject({ after: last, refused: [] });
    expect(nextRecoveryPageToken(last, false)).toBe("");
    expect(nextRecoveryPageToken(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken, rather than failing the query", () => {
    const refused = ["not-a-token", "%%%", forged(["1; DROP TABLE x", "case-1"]), forged([1796119200000123, "case-1"]), forged(["1796119200000123", ""]), forged(["1796119200000123", 7]), forged({ at: "1", id: "2" }), forged(["9999999999999999999", "case-1"]), forged(["1", "c".repeat(201)])];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
