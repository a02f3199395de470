import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders, readEveryPage } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// The desk's and finance's after-sales lists through intake's REST API a page at a time (ADR 017,
// twenty-ninth session's addendum), on the real after-sales: GET /v1/after-sales-cases and
// GET /v1/stores/{storeId}/carrier-claims take pageSize and pageToken (limit kept as pageSize's
// older name) and answer nextPageToken while there is more, so a worklist longer than a page is
// read whole — a tie on the sort time and a case recorded between pages neither repeating nor
// skipping one; a bad page asked is a 400 naming the field.
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const day = 86_400_000;

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

const sql = (text: string, values: unknown[]) => afterSales.runtime.pool.query(text, values);

/** A return opened at the store (under `caseId` when given); its opening dated by SQL when `openedAt` is given. */
async function caseAt(storeId: string, openedAt?: Date, caseId?: string): Promise<string> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, caseId ? { caseId } : {});
  await cases.commands.openCase(ask);
  if (openedAt) await sql("UPDATE cases SET opened_at = $2 WHERE case_id = $1", [ask.caseId, openedAt]);
  return ask.caseId;
}

/** A return at the store resolved with cause carrier and claimed; its filing dated by SQL when `filedAt` is given. */
async function claimAt(storeId: string, filedAt?: Date, ownCaseId?: string): Promise<string> {
  const caseId = await caseAt(storeId, undefined, ownCaseId);
  await cases.commands.acceptCase({ caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await cases.commands.resolveCase({ caseId, caller: deskAgent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 0 });
  await cases.commands.fileCarrierClaim({ caseId, caller: deskAgent, correlationId: "", carrier: "SF Express", carrierReference: "", amountMinor: 1_000 });
  if (filedAt) await sql("UPDATE cases SET carrier_claim_filed_at = $2 WHERE case_id = $1", [caseId, filedAt]);
  return caseId;
}

/**
 * A case id as long as after-sales takes (200 characters, the caller's own, ADR 015) in a script
 * whose characters take three bytes each: a page token naming it is some 850 characters long.
 */
const longestCaseId = () => `${"退".repeat(192)}${randomUUID().slice(0, 8)}`;

const byCaseId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const fieldsOf = (answer: { status: number; body: { errors?: { field: string }[] } }) => [answer.status, (answer.body.errors ?? []).map((e) => e.field)];
const forgedToken = Buffer.from(JSON.stringify(["newest-first", "99999999999999999999", "case-x"])).toString("base64url");

describe("intake: the after-sales cases a page at a time", () => {
  it("are read whole by the desk, newest first, none twice or missing while a case is opened meanwhile", async () => {
    const storeId = newStore();
    const desk = callerHeaders(`staff:cs-1:customer-service@${storeId}`);
    const base = Date.now() - 30 * day;
    // Five cases opened out of order, two at the same microsecond straddling the first two pages: the case id breaks the tie.
    const planted: { caseId: string; at: number }[] = [];
    for (const days of [3, 1, 4, 3, 2]) planted.push({ caseId: await caseAt(storeId, new Date(base + days * day)), at: base + days * day });
    const expected = planted.sort((a, b) => b.at - a.at || byCaseId(a.caseId, b.caseId)).map((c) => c.caseId);

    let older = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await api.get(`/v1/after-sales-cases?storeId=${storeId}&pageSize=2${pageToken ? `&pageToken=${pageToken}` : ""}`, desk);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      // Opened between two pages and dated behind them all: listed last.
      if (!older) older = await caseAt(storeId, new Date(base));
      const { cases: listed, nextPageToken } = page.body as { cases: { caseId: string; description: string }[]; nextPageToken?: string };
      expect(listed.every((c) => c.description === "the kettle leaks at the seam")).toBe(true);
      return { items: listed.map((c) => c.caseId), nextPageToken: nextPageToken ?? "" };
    });
    expect(whole).toEqual({ items: [...expected, older], pages: 3 });

    // limit, pageSize's older name, still sizes the page, and the last page carries no token.
    const byLimit = await api.get(`/v1/after-sales-cases?storeId=${storeId}&limit=4`, desk);
    expect([byLimit.body.cases.length, typeof byLimit.body.nextPageToken]).toEqual([4, "string"]);
    const last = await api.get(`/v1/after-sales-cases?storeId=${storeId}&limit=4&pageToken=${byLimit.body.nextPageToken}`, desk);
    expect([last.body.cases.length, last.body.nextPageToken]).toEqual([2, undefined]);
  });

  it("refuses a bad page naming the field: a token it did not give or of the other order, a size out of range, limit with pageSize", async () => {
    const storeId = newStore();
    const desk = callerHeaders(`staff:cs-1:customer-service@${storeId}`);
    await caseAt(storeId);
    await caseAt(storeId);
    const newestFirstToken = (await api.get(`/v1/after-sales-cases?storeId=${storeId}&pageSize=1`, desk)).body.nextPageToken as string;
    for (const [query, field] of [
      ["pageToken=not-a-token", "pageToken"],
      [`pageToken=${forgedToken}`, "pageToken"],
      [`replacementLate=true&pageToken=${newestFirstToken}`, "pageToken"],
      ["pageSize=0", "pageSize"],
      ["pageSize=501", "pageSize"],
      ["pageSize=2&limit=2", "limit"],
    ] as const) {
      expect(fieldsOf(await api.get(`/v1/after-sales-cases?storeId=${storeId}&${query}`, desk)), query).toEqual([400, [field]]);
    }
  });
});

describe("intake: a page token naming the longest case id after-sales takes", () => {
  it("continues the desk's cases and finance's claims, not refused as a token the list did not give", async () => {
    const storeId = newStore();
    const desk = callerHeaders(`staff:cs-1:customer-service@${storeId}`);
    const base = Date.now() - 10 * day;
    // The long id ends each first page (the newest case, the oldest claim), so the token names it.
    const other = await claimAt(storeId, new Date(base));
    const long = await claimAt(storeId, new Date(base - day), longestCaseId());
    await sql("UPDATE cases SET opened_at = $2 WHERE case_id = $1", [other, new Date(base)]);
    await sql("UPDATE cases SET opened_at = $2 WHERE case_id = $1", [long, new Date(base + day)]);

    const firstCases = await api.get(`/v1/after-sales-cases?storeId=${storeId}&pageSize=1`, desk);
    expect([firstCases.body.cases.map((c: { caseId: string }) => c.caseId), (firstCases.body.nextPageToken as string).length > 512]).toEqual([[long], true]);
    const restOfCases = await api.get(`/v1/after-sales-cases?storeId=${storeId}&pageSize=1&pageToken=${firstCases.body.nextPageToken}`, desk);
    expect([restOfCases.status, restOfCases.body.cases?.map((c: { caseId: string }) => c.caseId)], JSON.stringify(restOfCases.body)).toEqual([200, [other]]);

    const firstClaims = await api.get(`/v1/stores/${storeId}/carrier-claims?pageSize=1`, desk);
    expect(firstClaims.body.claims.map((c: { caseId: string }) => c.caseId)).toEqual([long]);
    const restOfClaims = await api.get(`/v1/stores/${storeId}/carrier-claims?pageSize=1&pageToken=${firstClaims.body.nextPageToken}`, desk);
    expect([restOfClaims.status, restOfClaims.body.claims?.map((c: { caseId: string }) => c.caseId)], JSON.stringify(restOfClaims.body)).toEqual([200, [other]]);
  });
});

describe("intake: a store's claims against carriers a page at a time", () => {
  it("are read whole by finance, the oldest filing first, none twice or missing while a claim is filed meanwhile", async () => {
    const storeId = newStore();
    const finance = callerHeaders(`staff:fin-1:finance@${storeId}`);
    const base = Date.now() - 20 * day;
    const planted: { caseId: string; at: number }[] = [];
    // Two filed at the same microsecond straddling the two pages: the case id breaks the tie.
    for (const days of [2, 1, 2]) planted.push({ caseId: await claimAt(storeId, new Date(base + days * day)), at: base + days * day });
    const expected = planted.sort((a, b) => a.at - b.at || byCaseId(a.caseId, b.caseId)).map((c) => c.caseId);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await api.get(`/v1/stores/${storeId}/carrier-claims?pageSize=2${pageToken ? `&pageToken=${pageToken}` : ""}`, finance);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      if (!meanwhile) meanwhile = await claimAt(storeId);
      return { items: (page.body.claims as { caseId: string }[]).map((c) => c.caseId), nextPageToken: (page.body.nextPageToken as string | undefined) ?? "" };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 2 });
    const byLimit = await api.get(`/v1/stores/${storeId}/carrier-claims?limit=3`, finance);
    expect([byLimit.body.claims.length, typeof byLimit.body.nextPageToken]).toEqual([3, "string"]);
  });

  it("refuses a bad page naming the field", async () => {
    const storeId = newStore();
    const desk = callerHeaders(`staff:cs-1:customer-service@${storeId}`);
    const claimToken = Buffer.from(JSON.stringify(["99999999999999999999", "case-x"])).toString("base64url");
    for (const [query, field] of [
      ["pageToken=not-a-token", "pageToken"],
      [`pageToken=${claimToken}`, "pageToken"],
      ["pageSize=0", "pageSize"],
      ["pageSize=501", "pageSize"],
      ["pageSize=2&limit=2", "limit"],
    ] as const) {
      expect(fieldsOf(await api.get(`/v1/stores/${storeId}/carrier-claims?${query}`, desk)), query).toEqual([400, [field]]);
    }
  });
});
