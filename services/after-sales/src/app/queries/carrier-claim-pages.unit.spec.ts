import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { carrierClaimPageOf, defaultCarrierClaimPageSize, nextCarrierClaimPageToken } from "./carrier-claim-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; limit: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = carrierClaimPageOf({ pageSize: 0, limit: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a page of a store's claims against carriers", () => {
  it("is the default size unless asked, by pageSize or by limit, its older name", () => {
    expect(pageOf({})).toEqual({ size: defaultCarrierClaimPageSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(pageOf({ limit: 3 })).toMatchObject({ size: 3, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field asked, and both names at once naming limit", () => {
    for (const pageSize of [501, -1, 1.5]) expect(pageOf({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
    expect(pageOf({ limit: 501 }).refused).toEqual(["limit"]);
    expect(pageOf({ pageSize: 2, limit: 2 }).refused).toEqual(["limit"]);
  });

  it("continues after the last claim shown when there is more, and gives no token at the end", () => {
    const last = { filedAtMicros: "1796119200000123", caseId: "case-7" };
    expect(pageOf({ pageToken: nextCarrierClaimPageToken(last, true) })).toMatchObject({ after: last, refused: [] });
    expect(nextCarrierClaimPageToken(last, false)).toBe("");
    expect(nextCarrierClaimPageToken(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken", () => {
    const refused = ["not-a-token", "%%%", forged(["1796119200000123"]), forged([1796119200000123, "c-1"]), forged(["9999999999999999999", "c-1"]), forged(["1", ""]), forged({ at: "1", id: "c" })];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
