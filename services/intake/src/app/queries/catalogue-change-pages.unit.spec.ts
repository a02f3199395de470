import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { catalogueChangePageOf, defaultCatalogueChangePageSize, nextCatalogueChangePageToken } from "./catalogue-change-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; limit: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = catalogueChangePageOf({ pageSize: 0, limit: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a page of the catalogue's trail", () => {
  it("is 100 unless asked, by pageSize or by limit, its older name", () => {
    expect(pageOf({})).toEqual({ size: defaultCatalogueChangePageSize, after: undefined, refused: [] });
    expect(defaultCatalogueChangePageSize).toBe(100);
    expect(pageOf({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(pageOf({ limit: 7 })).toMatchObject({ size: 7, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field asked, and both names at once naming limit", () => {
    for (const pageSize of [501, -1, 1.5]) expect(pageOf({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
    expect(pageOf({ limit: 501 }).refused).toEqual(["limit"]);
    expect(pageOf({ pageSize: 5, limit: 5 }).refused).toEqual(["limit"]);
  });

  it("continues below the last change shown when there is more, and gives no token at the end", () => {
    expect(pageOf({ pageToken: nextCatalogueChangePageToken({ changeId: 1000 }, true) })).toMatchObject({ after: { changeId: "1000" }, refused: [] });
    expect(nextCatalogueChangePageToken({ changeId: 1000 }, false)).toBe("");
    expect(nextCatalogueChangePageToken(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, a change id that is no bigint included, naming pageToken", () => {
    const refused = ["not-a-token", "%%%", forged([]), forged([1000]), forged(["abc"]), forged(["-5"]), forged(["0"]), forged(["0012"]), forged(["1.5"]), forged(["9223372036854775808"]), forged({ changeId: "1" })];
    for (const pageToken of refused) expect(pageOf({ pageToken }), pageToken).toMatchObject({ after: undefined, refused: ["pageToken"] });
    expect(pageOf({ pageToken: forged(["9223372036854775807"]) })).toMatchObject({ after: { changeId: "9223372036854775807" }, refused: [] });
  });
});
