import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { readEveryPage, type TestNamespace } from "@oms/testing";
import { agent, knownOrder, newStore, openRequest, refusal, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * A store's claims against carriers a page at a time (ADR 017, twenty-ninth session's addendum),
 * on the real Postgres: once cut at the caller's limit (at most 500) unsaid, now read whole by
 * keyset, the oldest filing first, a tie on the filing broken by the case id, a claim filed
 * between two pages neither repeating nor skipping one.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

const pool = () => afterSales.runtime.pool;
const day = 86_400_000;

const listPage = (storeId: string, ask: Partial<{ pageSize: number; pageToken: string; limit: number; status: string; overdueOnly: boolean }> = {}) =>
  clients.query.listCarrierClaims({ storeId, status: "", overdueOnly: false, limit: 0, pageSize: 0, pageToken: "", ...ask });

/** A return resolved with cause carrier at the store and claimed; its filing dated by SQL when `filedAt` is given. */
async function claimedAt(storeId: string, filedAt?: Date): Promise<string> {
  const orderId = await knownOrder(pool(), { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 0 });
  await clients.commands.fileCarrierClaim({ caseId: ask.caseId, caller: agent, correlationId: "", carrier: "SF Express", carrierReference: "", amountMinor: 1_000 });
  if (filedAt) await pool().query("UPDATE cases SET carrier_claim_filed_at = $2 WHERE case_id = $1", [ask.caseId, filedAt]);
  return ask.caseId;
}

describe("a store's claims against carriers, a page at a time", () => {
  it("are read whole across pages, the oldest filing first, none twice or missing while a claim is filed meanwhile", async () => {
    const storeId = newStore();
    const base = Date.now() - 20 * day;
    // Five claims filed out of order, two of them at the same microsecond (the case id breaks the
    // tie), the second and third filed: the pair straddles the first two pages.
    const planted: { caseId: string; at: number }[] = [];
    for (const days of [3, 1, 4, 2, 2]) {
      const at = new Date(base + days * day);
      planted.push({ caseId: await claimedAt(storeId, at), at: at.getTime() });
    }
    const expected = planted.sort((a, b) => a.at - b.at || (a.caseId < b.caseId ? -1 : 1)).map((c) => c.caseId);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(storeId, { pageSize: 2, pageToken });
      if (!meanwhile) meanwhile = await claimedAt(storeId);
      return { items: page.claims.map((c) => c.caseId), nextPageToken: page.nextPageToken };
    });
    // The one filed meanwhile is the newest, behind every page read: listed last, nothing else moved.
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });

  it("pages the overdue ones alike, and sizes the page by limit, pageSize's older name", async () => {
    const storeId = newStore();
    const base = Date.now() - 60 * day;
    const overdue = [await claimedAt(storeId, new Date(base)), await claimedAt(storeId, new Date(base + day)), await claimedAt(storeId, new Date(base + 2 * day))];
    await claimedAt(storeId);
    const first = await listPage(storeId, { overdueOnly: true, limit: 2 });
    expect(first.claims.map((c) => c.caseId)).toEqual(overdue.slice(0, 2));
    const rest = await listPage(storeId, { overdueOnly: true, limit: 2, pageToken: first.nextPageToken });
    expect([rest.claims.map((c) => c.caseId), rest.nextPageToken]).toEqual([overdue.slice(2), ""]);
  });

  it("refuses a token it did not give naming pageToken, pageSize out of range, and limit given with pageSize", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "case-x"])).toString("base64url");
    for (const pageToken of ["not-a-token", forged]) expect(await refusal(listPage(newStore(), { pageToken })), pageToken).toBe("ValidationError pageToken");
    const nul = Buffer.from(JSON.stringify(["1796119200000123", "case-\u0000x"])).toString("base64url");
    expect(await refusal(listPage(newStore(), { pageToken: nul }))).toBe("ValidationError pageToken");
    expect(await refusal(listPage(newStore(), { pageSize: 501 }))).toBe("ValidationError pageSize");
    expect(await refusal(listPage(newStore(), { pageSize: 2, limit: 2 }))).toBe("ValidationError limit");
  });
});
