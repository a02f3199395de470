import { describe, expect, it } from "vitest";
import { readEveryPage } from "./every-page.ts";

/** A list of `length` numbers served `size` at a time, its tokens the next offset; `end` is what the last page gives for a token. */
const listOf = (length: number, size: number, end: "" | undefined) => {
  const asked: string[] = [];
  const readPage = async (pageToken: string) => {
    asked.push(pageToken);
    const from = pageToken === "" ? 0 : Number(pageToken);
    const next = from + size;
    return { items: Array.from({ length: Math.max(0, Math.min(size, length - from)) }, (_, i) => from + i), nextPageToken: next < length ? String(next) : end };
  };
  return { asked, readPage };
};

describe("reading every page of a list", () => {
  it("follows the tokens from the first page until one gives none, gRPC's empty token or HTTP's absent one", async () => {
    for (const end of ["", undefined] as const) {
      const list = listOf(7, 3, end);
      expect(await readEveryPage(list.readPage)).toEqual({ items: [0, 1, 2, 3, 4, 5, 6], pages: 3 });
      expect(list.asked).toEqual(["", "3", "6"]);
    }
  });

  it("reads an empty list as one page", async () => {
    expect(await readEveryPage(listOf(0, 3, "").readPage)).toEqual({ items: [], pages: 1 });
  });

  it("fails rather than loop on a list that never ends", async () => {
    await expect(readEveryPage(async () => ({ items: [1], nextPageToken: "again" }), { maxPages: 4 })).rejects.toThrow(/after 4 pages/);
  });
});
