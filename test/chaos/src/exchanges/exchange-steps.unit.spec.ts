import { describe, expect, it } from "vitest";
import type { JsonResponse } from "../../../support/http-client.ts";
import { replacementOnList } from "./exchange-steps.ts";

/** A store's replacements list as intake pages it: two rows a page, the token the next row's index. */
function pagedList(caseIds: string[], answer: (path: string) => JsonResponse | undefined = () => undefined) {
  const asked: string[] = [];
  const get = async (path: string): Promise<JsonResponse> => {
    asked.push(path);
    const given = answer(path);
    if (given) return given;
    const from = Number(new URL(path, "http://intake").searchParams.get("pageToken") ?? "0");
    const replacements = caseIds.slice(from, from + 2).map((caseId) => ({ caseId, status: "reserved" }));
    const body = from + 2 < caseIds.length ? { replacements, nextPageToken: String(from + 2) } : { replacements };
    return { status: 200, body, headers: {} };
  };
  return { intake: { get }, asked };
}

describe("the exchange desk's clerk finds a replacement on the store's list", () => {
  it("past the first page, reading on until it is listed", async () => {
    const { intake, asked } = pagedList(["c-1", "c-2", "c-3", "c-4", "c-5"]);
    const found = await replacementOnList(intake, "store-a", "c-5", "staff:w:warehouse-clerk");
    expect(found).toMatchObject({ attempt: { verdict: "done" }, listed: { caseId: "c-5" } });
    expect(asked).toHaveLength(3);
  });

  it("not at all when no page lists it, and stops at the last page", async () => {
    const { intake, asked } = pagedList(["c-1", "c-2", "c-3"]);
    const missing = await replacementOnList(intake, "store-a", "c-9", "staff:w:warehouse-clerk");
    expect(missing.listed).toBeUndefined();
    expect(missing.attempt.verdict).toBe("done");
    expect(asked).toHaveLength(2);
  });

  it("gives back a page not answered as the attempt to try again", async () => {
    const { intake } = pagedList(["c-1", "c-2", "c-3"], (path) => (path.includes("pageToken") ? { status: 503, body: {}, headers: { "retry-after": "1" } } : undefined));
    expect(await replacementOnList(intake, "store-a", "c-3", "staff:w:warehouse-clerk")).toEqual({ attempt: expect.objectContaining({ verdict: "again" }) });
  });
});
