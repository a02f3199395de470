import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { declarationPageOf, defaultDeclarationPageSize, nextDeclarationPageToken } from "./declaration-pages.ts";

const pageOf = (request: Partial<{ pageSize: number; pageToken: string }>) => {
  const errors: FieldError[] = [];
  const page = declarationPageOf({ pageSize: 0, pageToken: "", ...request }, errors);
  return { ...page, refused: errors.map((e) => e.field) };
};

describe("a page of a store's force-majeure declarations", () => {
  it("is 100 unless asked, at most 500", () => {
    expect(pageOf({})).toEqual({ size: defaultDeclarationPageSize, after: undefined, refused: [] });
    expect(defaultDeclarationPageSize).toBe(100);
    expect(pageOf({ pageSize: 500 })).toMatchObject({ size: 500, refused: [] });
    expect(pageOf({ pageSize: 501 }).refused).toEqual(["pageSize"]);
  });

  it("continues after the last declaration shown while there is more, and refuses a token it did not give", () => {
    const last = { declaredAtMicros: "1796119200000123", eventId: "typhoon-haikui" };
    expect(pageOf({ pageToken: nextDeclarationPageToken(last, true) })).toMatchObject({ after: last, refused: [] });
    expect(nextDeclarationPageToken(last, false)).toBe("");
    expect(pageOf({ pageToken: Buffer.from(JSON.stringify(["x", "typhoon"])).toString("base64url") }).refused).toEqual(["pageToken"]);
  });
});
