import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { defaultReconciliationPageSize, nextReconciliationPageToken, reconciliationPageOf } from "./reconciliation-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = reconciliationPageOf({ pageSize: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a page of a store's reconciliations", () => {
  it("is the default size unless asked, as callers built before paging ask 0", () => {
    expect(pageOf({})).toEqual({ size: defaultReconciliationPageSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 3 })).toMatchObject({ size: 3, refused: [] });
    expect(pageOf({ pageSize: 400 })).toMatchObject({ size: 400, refused: [] });
  });

  it("refuses a size outside 1 to 400 naming pageSize", () => {
    for (const pageSize of [401, -1, 2.5]) expect(pageOf({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
  });

  it("continues after the last run shown when there is more, and gives no token at the end", () => {
    const last = { periodFromMicros: "1796083200000000", completedAtMicros: "1796119200000123", reconciliationId: "run-7" };
    expect(pageOf({ pageToken: nextReconciliationPageToken(last, true) })).toMatchObject({ after: last, refused: [] });
    expect(nextReconciliationPageToken(last, false)).toBe("");
    expect(nextReconciliationPageToken(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken, rather than failing the query", () => {
    const refused = [
      "not-a-token",
      "%%%",
      forged(["1796083200000000", "1796119200000123"]),
      forged(["1; DROP TABLE x", "1796119200000123", "run-1"]),
      forged([1796083200000000, "1796119200000123", "run-1"]),
      forged(["1796083200000000", "9999999999999999999", "run-1"]),
      forged(["1796083200000000", "1796119200000123", ""]),
      forged(["1796083200000000", "1796119200000123", "r".repeat(201)]),
      forged({ from: "1", at: "2", id: "3" }),
    ];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
