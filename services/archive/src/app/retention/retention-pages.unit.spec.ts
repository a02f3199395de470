import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { defaultRetentionPageSize, disposalPageOf, dossierPageOf, nextDisposalPageToken, nextDossierPageToken, type PageAsked } from "./retention-pages.ts";

const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe.each([
  { list: "the retention list", pageOf: dossierPageOf, tokenAfter: nextDossierPageToken, last: { lastEventAtMicros: "638964000000123", orderId: "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c41" } },
  { list: "the disposal records", pageOf: disposalPageOf, tokenAfter: nextDisposalPageToken, last: { disposedAtMicros: "1796119200000123", disposalId: "3b8f0e2d-7c41-4c1e-9a57-6f1c2a9e0d4b" } },
] as const)("a page of $list", ({ pageOf, tokenAfter, last }) => {
  const asked = (request: Partial<PageAsked>) => {
    const errors: FieldError[] = [];
    const page = pageOf({ pageSize: 0, limit: 0, pageToken: "", ...request }, errors);
    return { ...page, refused: errors.map((e) => e.field) };
  };

  it("is 100 unless asked, by pageSize or by limit, its older name", () => {
    expect(asked({})).toEqual({ size: defaultRetentionPageSize, after: undefined, refused: [] });
    expect(defaultRetentionPageSize).toBe(100);
    expect(asked({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(asked({ limit: 3 })).toMatchObject({ size: 3, refused: [] });
    expect(asked({ pageSize: 500 })).toMatchObject({ size: 500, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field asked, and both names at once naming limit", () => {
    for (const pageSize of [501, -1, 1.5]) expect(asked({ pageSize }).refused, String(pageSize)).toEqual(["pageSize"]);
    for (const limit of [501, -1]) expect(asked({ limit }).refused, String(limit)).toEqual(["limit"]);
    expect(asked({ pageSize: 2, limit: 2 }).refused).toEqual(["limit"]);
  });

  it("continues after the last row shown when there is more, and gives no token at the end", () => {
    expect(asked({ pageToken: tokenAfter(last as never, true) })).toMatchObject({ after: last, refused: [] });
    expect(tokenAfter(last as never, false)).toBe("");
    expect(tokenAfter(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken", () => {
    const refused = ["not-a-token", "%%%", forged(["1796119200000123"]), forged([1796119200000123, "d-1"]), forged(["9999999999999999999", "d-1"]), forged(["1", ""]), forged(["1", "d".repeat(201)]), forged({ at: "1", id: "d" })];
    for (const pageToken of refused) expect(asked({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});
