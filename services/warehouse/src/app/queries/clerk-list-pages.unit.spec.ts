import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import {
  expectedReturnPageOf,
  nextExpectedReturnPageToken,
  nextOverduePageToken,
  nextPickListPageToken,
  nextReplacementPageToken,
  overduePageOf,
  pickListPageOf,
  replacementPageOf,
} from "./clerk-list-pages.ts";

type Request = { pageSize: number; pageToken: string; limit: number };
const asked =
  <P>(pageOf: (request: Request, errors: FieldError[]) => { size: number; after: P | undefined }) =>
  (request: Partial<Request>) => {
    const errors: FieldError[] = [];
    const page = pageOf({ pageSize: 0, pageToken: "", limit: 0, ...request }, errors);
    return { ...page, refused: errors.map((e) => e.field) };
  };
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

interface ListPaging {
  name: string;
  pageOf: (request: Partial<Request>) => { size: number; after: unknown; refused: string[] };
  next: (last: Record<string, string> | undefined, more: boolean) => string;
  defaultSize: number;
  last: Record<string, string>;
}

// The token functions take their list's own position; the spec's records are each one of them.
const lists: ListPaging[] = [
  { name: "the pick list", pageOf: asked(pickListPageOf), next: nextPickListPageToken as ListPaging["next"], defaultSize: 50, last: { step: "ready-to-pick", priority: "2", sinceMicros: "1796119200000123", reservationId: "res-7" } },
  { name: "the returns expected", pageOf: asked(expectedReturnPageOf), next: nextExpectedReturnPageToken as ListPaging["next"], defaultSize: 100, last: { expectedSinceMicros: "1796119200000123", caseId: "case-7" } },
  { name: "the replacements to ship", pageOf: asked(replacementPageOf), next: nextReplacementPageToken as ListPaging["next"], defaultSize: 100, last: { sinceMicros: "1796119200000123", caseId: "case-7" } },
  {
    name: "the steps late",
    pageOf: asked(overduePageOf),
    next: nextOverduePageToken as ListPaging["next"],
    defaultSize: 100,
    last: { dueAtMicros: "1796119200000123", id: "res-7", step: "pick" },
  },
];

describe.each(lists)("a page of $name", ({ pageOf, next, defaultSize, last }) => {
  it("is the list's default size unless asked, by pageSize or by limit, its older name", () => {
    expect(pageOf({})).toEqual({ size: defaultSize, after: undefined, refused: [] });
    expect(pageOf({ pageSize: 2 })).toMatchObject({ size: 2, refused: [] });
    expect(pageOf({ limit: 3 })).toMatchObject({ size: 3, refused: [] });
  });

  it("refuses a size outside 1 to 500 naming the field that asked it, and both sizes at once naming limit", () => {
    for (const size of [501, -1, 1.5]) {
      expect(pageOf({ pageSize: size }).refused, `pageSize ${size}`).toEqual(["pageSize"]);
      expect(pageOf({ limit: size }).refused, `limit ${size}`).toEqual(["limit"]);
    }
    expect(pageOf({ pageSize: 2, limit: 3 }).refused).toEqual(["limit"]);
  });

  it("continues after the last row shown when there is more, and gives no token at the end", () => {
    expect(pageOf({ pageToken: next(last, true) })).toMatchObject({ after: last, refused: [] });
    expect(next(last, false)).toBe("");
    expect(next(undefined, true)).toBe("");
  });

  it("refuses any token it did not give, naming pageToken", () => {
    const refused = ["not-a-token", "%%%", forged(["1796119200000123"]), forged({ at: "1", id: "d" }), forged(["x", "y", "z"]), forged([])];
    for (const pageToken of refused) expect(pageOf({ pageToken }).refused, pageToken).toEqual(["pageToken"]);
  });
});

describe("the pick list's position", () => {
  const pageOf = asked(pickListPageOf);
  it("takes a priority that is a whole number fitting a Postgres integer, no more", () => {
    expect(pageOf({ pageToken: forged(["picked", "-3", "1", "r-1"]) })).toMatchObject({ after: { step: "picked", priority: "-3", sinceMicros: "1", reservationId: "r-1" }, refused: [] });
    for (const priority of ["2147483648", "1.5", "urgent", "", 2]) expect(pageOf({ pageToken: forged(["picked", priority, "1", "r-1"]) }).refused, String(priority)).toEqual(["pageToken"]);
    expect(pageOf({ pageToken: forged(["picked", "1", "9999999999999999999", "r-1"]) }).refused).toEqual(["pageToken"]);
    expect(pageOf({ pageToken: forged(["picked", "1", "1", "r".repeat(201)]) }).refused).toEqual(["pageToken"]);
    // A token from before the step was kept (three parts) is refused, not read with its parts shifted.
    expect(pageOf({ pageToken: forged(["1", "1", "r-1"]) }).refused).toEqual(["pageToken"]);
  });

});

describe("a token of the steps late", () => {
  it("is refused on the returns expected and the replacements to ship, where its deadline and id would misplace the clerk", () => {
    const stepsLate = nextOverduePageToken({ dueAtMicros: "1796119200000123", id: "case-7", step: "pick" }, true);
    expect(asked(expectedReturnPageOf)({ pageToken: stepsLate }).refused).toEqual(["pageToken"]);
    expect(asked(replacementPageOf)({ pageToken: stepsLate }).refused).toEqual(["pageToken"]);
  });
});
