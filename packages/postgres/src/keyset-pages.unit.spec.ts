import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { keysetList } from "./keyset-pages.ts";

const list = keysetList(
  [
    ["atMicros", "micros"],
    ["id", "id"],
  ],
  { defaultSize: 10, maxSize: 20 },
);
const tokenOf = (values: unknown) => Buffer.from(JSON.stringify(values)).toString("base64url");
const refusedFields = (pageToken: string) => {
  const errors: FieldError[] = [];
  list.pageOf({ pageSize: 0, pageToken }, errors);
  return errors.map((e) => e.field);
};

describe("a keyset list's page token", () => {
  it("is read back as the position it was given for", () => {
    const errors: FieldError[] = [];
    expect(list.positionOfToken(list.tokenAfter({ atMicros: "1796119200000123", id: "case-1" }, true), errors)).toEqual({ atMicros: "1796119200000123", id: "case-1" });
    expect(errors).toEqual([]);
  });

  it("takes back an id of 200 characters however many UTF-16 units they are, and refuses a longer one", () => {
    const waves = "🌊".repeat(200);
    const errors: FieldError[] = [];
    expect(list.positionOfToken(list.tokenAfter({ atMicros: "1", id: waves }, true), errors)).toEqual({ atMicros: "1", id: waves });
    expect(errors).toEqual([]);
    expect(refusedFields(tokenOf(["1", `${waves}🌊`]))).toEqual(["pageToken"]);
  });

  it("is refused naming pageToken when an id holds a NUL, which Postgres text cannot hold (the query would fail, a 500)", () => {
    expect(refusedFields(tokenOf(["1796119200000123", "case-\u0000x"]))).toEqual(["pageToken"]);
  });

  it("is refused naming pageToken when it has more parts than the list's position (another list's token, whose first parts happen to fit)", () => {
    expect(refusedFields(tokenOf(["1796119200000123", "1796119100000456", "task-7"]))).toEqual(["pageToken"]);
    expect(refusedFields(tokenOf(["1796119200000123", "case-1", "pick"]))).toEqual(["pageToken"]);
  });
});

describe("an integer key part (a priority)", () => {
  const byPriority = keysetList(
    [
      ["priority", "int"],
      ["id", "id"],
    ],
    { defaultSize: 10, maxSize: 20 },
  );
  const positionOf = (values: unknown) => {
    const errors: FieldError[] = [];
    const position = byPriority.positionOfToken(tokenOf(values), errors);
    return { position, refused: errors.map((e) => e.field) };
  };

  it("continues after any priority a Postgres integer holds, its smallest (-2147483648) and largest included: the list's own token is never refused", () => {
    for (const priority of [-2147483648, 2147483647, 0, -3]) {
      const token = byPriority.tokenAfter({ priority: String(priority), id: "r-1" }, true);
      const errors: FieldError[] = [];
      expect(byPriority.positionOfToken(token, errors), String(priority)).toEqual({ priority: String(priority), id: "r-1" });
      expect(errors).toEqual([]);
    }
  });

  it("is refused naming pageToken past a Postgres integer's range (the cast would fail the query, a 500)", () => {
    for (const priority of ["-2147483649", "2147483648", "9999999999", "-9999999999"]) expect(positionOf([priority, "r-1"]).refused, priority).toEqual(["pageToken"]);
  });
});
