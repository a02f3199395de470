import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readEveryPage } from "@oms/testing";
import { plantExpectedReturn, plantOverdueStep, plantReadyToPick, plantReplacement } from "../../services/warehouse/src/testing/clerk-list-rows.ts";
import { clerk, intakeInFrontOfWarehouse } from "./intake-warehouse-fixture.ts";

// The store clerks' lists through intake's REST API, asked of the real warehouse (twenty-ninth
// session): once cut at `limit` unsaid, now read a page at a time with pageSize and pageToken,
// nextPageToken absent on the last page; `limit` is still taken as the page size's older name.
const { world } = intakeInFrontOfWarehouse();

const pool = () => world.warehouse.runtime.pool;
const base = Date.now();
const minutesAgo = (minutes: number) => new Date(base - minutes * 60_000);
const aStore = () => `store-pages-${randomUUID().slice(0, 8)}`;

/** The lists: their route, where the rows are in the answer, and a row planted at a time (at the same priority on the pick list, late since then on the overdue list). */
const lists = [
  { name: "returns expected", path: "expected-returns", rows: "returns", id: "caseId", plant: (store: string, at: Date) => plantExpectedReturn(pool(), store, at) },
  { name: "replacements to ship", path: "replacements", rows: "replacements", id: "caseId", plant: (store: string, at: Date) => plantReplacement(pool(), store, at) },
  { name: "pick list", path: "pick-list", rows: "entries", id: "reservationId", plant: (store: string, at: Date) => plantReadyToPick(pool(), store, 1, at) },
  { name: "steps late", path: "overdue-shipments", rows: "shipments", id: "reservationId", plant: (store: string, at: Date) => plantOverdueStep(pool(), store, at) },
] as const;

describe.each(lists)("intake: a store's $name, a page at a time", ({ path, rows, id, plant }) => {
  it("is read whole over pages, the oldest first, a tie broken by the id, a row recorded meanwhile listed last", async () => {
    const store = aStore();
    const planted: { id: string; minutes: number }[] = [];
    for (const minutes of [30, 50, 40, 40, 20]) planted.push({ id: await plant(store, minutesAgo(minutes)), minutes });
    const expected = planted.sort((a, b) => b.minutes - a.minutes || (a.id < b.id ? -1 : 1)).map((r) => r.id);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await world.api.get(`/v1/stores/${store}/${path}?pageSize=2${pageToken && `&pageToken=${pageToken}`}`, clerk);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      if (!meanwhile) meanwhile = await plant(store, new Date());
      return { items: (page.body[rows] as Record<string, string>[]).map((row) => row[id]!), nextPageToken: page.body.nextPageToken as string | undefined };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });

    // A caller built before paging sizes the page by limit and is told there is more.
    const byLimit = await world.api.get(`/v1/stores/${store}/${path}?limit=4`, clerk);
    expect({ listed: byLimit.body[rows].length, more: typeof byLimit.body.nextPageToken }).toEqual({ listed: 4, more: "string" });
  });

  it("refuses a token the warehouse did not give, a size out of range and both sizes at once, naming the field", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "x", "y"])).toString("base64url");
    for (const [query, field] of [
      ["pageToken=not-a-token", "pageToken"],
      [`pageToken=${forged}`, "pageToken"],
      ["pageSize=501", "pageSize"],
      ["pageSize=0", "pageSize"],
      ["pageSize=2&limit=2", "limit"],
    ]) {
      const refused = await world.api.get(`/v1/stores/${aStore()}/${path}?${query}`, clerk);
      expect({ query, status: refused.status, fields: refused.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ query, status: 400, fields: [field] });
    }
  });
});
