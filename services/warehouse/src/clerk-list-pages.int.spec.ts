import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEveryPage } from "@oms/testing";
import { startTestWarehouse, testStore, type TestWarehouse } from "./test-fixtures.ts";
import { plantExpectedReturn, plantOverdueReplacement, plantOverdueStep, plantReadyToPick, plantReplacement as plantReplacementAt } from "./testing/clerk-list-rows.ts";

// The store clerks' lists (ADR 007, 021 and 030, twenty-ninth session's addenda) over gRPC on
// the real servers: once cut at the caller's limit unsaid, now read a page at a time, whole —
// a tie on the sort key broken by the id, a row recorded between pages neither repeating nor
// skipping one.
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
/** Minutes before one instant the spec file fixes, so that two rows planted "40 minutes ago" tie exactly. */
const base = Date.now();
const minutesAgo = (minutes: number) => new Date(base - minutes * 60_000);
/** The ids in the list's order: by its keys, the id (compared as Postgres' "C" collation does) breaking a tie. */
const inOrder = <T extends { id: string }>(rows: T[], compare: (a: T, b: T) => number) => [...rows].sort((a, b) => compare(a, b) || (a.id < b.id ? -1 : 1)).map((r) => r.id);
const paging = { limit: 0, pageSize: 2 };

const plantReturn = (storeId: string, at: Date) => plantExpectedReturn(pool(), storeId, at);
const plantReplacement = (storeId: string, at: Date) => plantReplacementAt(pool(), storeId, at);
const plantReservation = (storeId: string, priority: number, at: Date) => plantReadyToPick(pool(), storeId, priority, at);

describe("a store clerk's lists, a page at a time", () => {
  it("the returns still expected are read whole, the longest expected first, none twice or missing while one is expected meanwhile", async () => {
    const storeId = testStore();
    // Five returns out of order, two expected at the same instant (the case id breaks the tie).
    const planted = [];
    for (const minutes of [30, 50, 20, 40, 40]) planted.push({ id: await plantReturn(storeId, minutesAgo(minutes)), minutes });
    const expected = inOrder(planted, (a, b) => b.minutes - a.minutes);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await under.stock.listExpectedReturns({ storeId, ...paging, pageToken });
      if (!meanwhile) meanwhile = await plantReturn(storeId, new Date());
      return { items: page.returns.map((r) => r.caseId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });

  it("the replacements to ship are read whole, the oldest first, none twice or missing while one is accepted meanwhile", async () => {
    const storeId = testStore();
    const planted = [];
    for (const minutes of [30, 50, 20, 40, 40]) planted.push({ id: await plantReplacement(storeId, minutesAgo(minutes)), minutes });
    const expected = inOrder(planted, (a, b) => b.minutes - a.minutes);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await under.stock.listReplacements({ storeId, ...paging, pageToken });
      if (!meanwhile) meanwhile = await plantReplacement(storeId, new Date());
      return { items: page.replacements.map((r) => r.caseId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });

  it("the pick list is read whole, the highest priority then the longest waiting first, none twice or missing while one becomes ready meanwhile", async () => {
    const storeId = testStore();
    // Two priorities; within the lower one two ready at the same instant (the reservation id breaks the tie).
    const planted = [];
    for (const [priority, minutes] of [[0, 30], [5, 10], [0, 50], [5, 40], [0, 40], [0, 40]] as const) {
      planted.push({ id: await plantReservation(storeId, priority, minutesAgo(minutes)), priority, minutes });
    }
    const expected = inOrder(planted, (a, b) => b.priority - a.priority || b.minutes - a.minutes);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await under.stock.listPickList({ storeId, status: "ready-to-pick", ...paging, pageToken });
      // Ready now, at the lowest priority: the last of the list, behind every page read.
      if (!meanwhile) meanwhile = await plantReservation(storeId, 0, new Date());
      return { items: page.entries.map((e) => e.reservationId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 4 });
  });

  it("the steps late are read whole, orders' and replacements' merged, the oldest deadline first, none twice or missing while one falls late meanwhile", async () => {
    const storeId = testStore();
    // Orders' steps and replacements late out of order; a step and a replacement late at the same
    // instant, and two steps at another (the id breaks each tie, whichever list it comes from).
    const planted = [];
    for (const minutes of [30, 50, 40]) planted.push({ id: await plantOverdueStep(pool(), storeId, minutesAgo(minutes)), minutes });
    for (const minutes of [40, 20, 60]) planted.push({ id: await plantOverdueReplacement(pool(), storeId, minutesAgo(minutes)), minutes });
    planted.push({ id: await plantOverdueStep(pool(), storeId, minutesAgo(50)), minutes: 50 });
    const expected = inOrder(planted, (a, b) => b.minutes - a.minutes);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await under.stock.listOverdueShipments({ storeId, ...paging, pageToken });
      if (!meanwhile) meanwhile = await plantOverdueReplacement(pool(), storeId, minutesAgo(1));
      return { items: page.shipments.map((s) => s.reservationId || s.caseId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 4 });
  });

  it("refuses a token of the pick list on the pack or dispatch list, which would start the clerk at another step's place", async () => {
    const storeId = testStore();
    for (const [priority, minutes] of [[5, 3], [0, 2], [0, 1]] as const) await plantReservation(storeId, priority, minutesAgo(minutes));
    const first = await under.stock.listPickList({ storeId, status: "ready-to-pick", ...paging, pageToken: "" });
    expect(first.nextPageToken).not.toBe("");
    for (const status of ["picked", "packed"]) {
      await expect(under.stock.listPickList({ storeId, status, ...paging, pageToken: first.nextPageToken }), status).rejects.toMatchObject({
        kind: "validation",
        fields: [expect.objectContaining({ field: "pageToken" })],
      });
    }
    const rest = await under.stock.listPickList({ storeId, status: "", ...paging, pageToken: first.nextPageToken });
    expect({ listed: rest.entries.length, nextPageToken: rest.nextPageToken }).toEqual({ listed: 1, nextPageToken: "" });
  });

  it("a caller sizing the page by limit, its older name, gets the first page and a token to the rest", async () => {
    const storeId = testStore();
    for (const minutes of [3, 2, 1]) await plantReturn(storeId, minutesAgo(minutes));
    const first = await under.stock.listExpectedReturns({ storeId, limit: 2, pageSize: 0, pageToken: "" });
    expect(first.returns).toHaveLength(2);
    const rest = await under.stock.listExpectedReturns({ storeId, limit: 2, pageSize: 0, pageToken: first.nextPageToken });
    expect({ listed: rest.returns.length, nextPageToken: rest.nextPageToken }).toEqual({ listed: 1, nextPageToken: "" });
  });

  it("refuses a forged or malformed page token, a size out of range and both sizes at once, naming each", async () => {
    const storeId = testStore();
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "case-x"])).toString("base64url");
    const lists = [
      (page: { pageSize?: number; pageToken?: string; limit?: number }) => under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "", ...page }),
      (page: { pageSize?: number; pageToken?: string; limit?: number }) => under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "", ...page }),
      (page: { pageSize?: number; pageToken?: string; limit?: number }) => under.stock.listPickList({ storeId, status: "", limit: 0, pageSize: 0, pageToken: "", ...page }),
      (page: { pageSize?: number; pageToken?: string; limit?: number }) => under.stock.listOverdueShipments({ storeId, limit: 0, pageSize: 0, pageToken: "", ...page }),
    ];
    for (const list of lists) {
      for (const pageToken of ["not-a-token", forged]) {
        await expect(list({ pageToken })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
      }
      await expect(list({ pageSize: 501 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
      await expect(list({ pageSize: 2, limit: 2 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "limit" })] });
    }
  });
});
