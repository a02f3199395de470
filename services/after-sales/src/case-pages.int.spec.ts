import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, type afterSalesApi } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, readEveryPage, type TestNamespace } from "@oms/testing";
import { agent, knownOrder, newStore, openRequest, refusal, seenBy, startAfterSalesUnderTest, stopAfterSalesUnderTest, unseen, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * The after-sales case lists a page at a time (ADR 017, twenty-ninth session's addendum), on the
 * real Postgres and Kafka: once cut at the caller's limit (at most 500) unsaid, now read whole by
 * keyset in each list's own order — the newest opening first, and the late replacements' the
 * earliest due first — a tie on the sort time broken by the case id, a case recorded between two
 * pages neither repeating nor skipping one; only the page's cases are shown and logged.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

const pool = () => afterSales.runtime.pool;
const deskAgent = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
const day = 86_400_000;

type ListAsk = Partial<Pick<afterSalesApi.ListCasesRequest, "pageSize" | "pageToken" | "limit" | "replacementLate" | "caller">>;
const listPage = (storeId: string, ask: ListAsk = {}) =>
  clients.query.listCases({ storeId, orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: false, ...unseen, ...ask });

/** A case opened at the store (an order of its own), its opening dated by SQL when `openedAt` is given. */
async function caseAt(storeId: string, openedAt?: Date, kind = "return"): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(pool(), { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { kind, lines: [{ sku: "KETTLE-1", quantity: 1 }] });
  await clients.commands.openCase(ask);
  if (openedAt) await pool().query("UPDATE cases SET opened_at = $2 WHERE case_id = $1", [ask.caseId, openedAt]);
  return { orderId, caseId: ask.caseId };
}

const byCaseId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("a store's cases, a page at a time", () => {
  it("are read whole across pages, newest first, none twice or missing while cases are opened meanwhile", async () => {
    const storeId = newStore();
    const base = Date.now() - 30 * day;
    // Five cases opened out of order, two of them at the same microsecond (the case id breaks the
    // tie), the second and third newest: the pair straddles the first two pages.
    const planted: { caseId: string; at: number }[] = [];
    for (const days of [3, 1, 4, 3, 2]) {
      const at = new Date(base + days * day);
      planted.push({ caseId: (await caseAt(storeId, at)).caseId, at: at.getTime() });
    }
    const expected = planted.sort((a, b) => b.at - a.at || byCaseId(a.caseId, b.caseId)).map((c) => c.caseId);

    let newer = "";
    let older = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(storeId, { pageSize: 2, pageToken });
      if (!newer) {
        // Opened between two pages: one ahead of every page read (not listed in this reading), one behind them all.
        newer = (await caseAt(storeId)).caseId;
        older = (await caseAt(storeId, new Date(base))).caseId;
      }
      return { items: page.cases.map((c) => c.caseId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, older], pages: 3 });
    expect(whole.items).not.toContain(newer);
  });

  it("shows the desk only the page's cases: the one read to learn of a next page is neither shown nor logged", async () => {
    const storeId = newStore();
    const base = Date.now() - 10 * day;
    const [oldest, middle, newest] = [await caseAt(storeId, new Date(base)), await caseAt(storeId, new Date(base + day)), await caseAt(storeId, new Date(base + 2 * day))];
    const page = await listPage(storeId, { pageSize: 2, ...seenBy(agent, "corr-page") });
    expect(page.cases.map((c) => [c.caseId, c.description])).toEqual([
      [newest!.caseId, "the kettle leaks at the seam"],
      [middle!.caseId, "the kettle leaks at the seam"],
    ]);
    expect(page.nextPageToken).not.toBe("");
    const { rows } = await pool().query<{ case_id: string }>("SELECT DISTINCT case_id FROM case_disclosures WHERE case_id = ANY($1::text[])", [[oldest!.caseId, middle!.caseId, newest!.caseId]]);
    expect(rows.map((r) => r.case_id).sort()).toEqual([middle!.caseId, newest!.caseId].sort());
  });

  it("sizes the page by limit, pageSize's older name, and ends it with a token as any", async () => {
    const storeId = newStore();
    for (let i = 0; i < 3; i++) await caseAt(storeId);
    const first = await listPage(storeId, { limit: 2 });
    expect(first.cases).toHaveLength(2);
    const rest = await listPage(storeId, { limit: 2, pageToken: first.nextPageToken });
    expect([rest.cases.length, rest.nextPageToken]).toEqual([1, ""]);
  });
});

describe("a store's late replacements, a page at a time", () => {
  /** Accepted exchanges whose replacements the warehouse reserved, each then late by SQL with the due time given (as ReplacementShipOverdue would set). */
  async function lateExchanges(storeId: string, dueAts: readonly Date[]): Promise<string[]> {
    const opened = [];
    for (const dueAt of dueAts) {
      const { orderId, caseId } = await caseAt(storeId, undefined, "exchange");
      await clients.commands.acceptCase({ caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
      opened.push({ orderId, caseId, dueAt });
    }
    const reserved = opened.map(({ orderId, caseId }) =>
      newEvent(EventTypes.ReplacementReserved, { caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "A-01" }] }, { producer: "warehouse", orderId, storeId, actor: deskAgent }),
    );
    await publishEvents(namespace.name, Topics.warehouseStock, reserved);
    const ids = opened.map((o) => o.caseId);
    await eventually(async () => {
      const { rows } = await pool().query("SELECT 1 FROM cases WHERE case_id = ANY($1::text[]) AND replacement->>'status' = 'reserved'", [ids]);
      return rows.length === ids.length || undefined;
    });
    for (const { caseId, dueAt } of opened) {
      await pool().query(
        `UPDATE cases SET replacement_late_since = $2, replacement_late_due_at = $2, replacement_late_level = 1, replacement_late_level_reached = 1,
                replacement_late_responsible_role = 'warehouse-clerk', replacement_late_escalated_to_role = '' WHERE case_id = $1`,
        [caseId, dueAt],
      );
    }
    return ids;
  }

  it("are read whole across pages, the earliest due first, none twice or missing while one falls late meanwhile", async () => {
    const storeId = newStore();
    const base = Date.now() - 10 * day;
    // The two due at the same microsecond are the second and third due: the pair straddles the first two pages.
    const dueAts = [3, 1, 4, 2, 2].map((days) => new Date(base + days * day));
    const ids = await lateExchanges(storeId, dueAts);
    const expected = ids.map((caseId, i) => ({ caseId, at: dueAts[i]!.getTime() })).sort((a, b) => a.at - b.at || byCaseId(a.caseId, b.caseId)).map((c) => c.caseId);
    // Another case of the store, opened later than all, is not late: not on this list.
    await caseAt(storeId);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(storeId, { pageSize: 2, pageToken, replacementLate: true });
      if (!meanwhile) meanwhile = (await lateExchanges(storeId, [new Date(base + 5 * day)]))[0]!;
      return { items: page.cases.map((c) => c.caseId), nextPageToken: page.nextPageToken };
    });
    // The one late meanwhile is due last, behind every page read: listed last, nothing else moved.
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });
});

describe("a case list's page refused", () => {
  it("names pageToken for a token it did not give or one of the other order, pageSize out of range, and limit given with pageSize", async () => {
    const storeId = newStore();
    for (let i = 0; i < 2; i++) await caseAt(storeId);
    const newestFirstToken = (await listPage(storeId, { pageSize: 1 })).nextPageToken;
    const forged = Buffer.from(JSON.stringify(["newest-first", "99999999999999999999", "case-x"])).toString("base64url");
    for (const pageToken of ["not-a-token", forged]) expect(await refusal(listPage(storeId, { pageToken })), pageToken).toBe("ValidationError pageToken");
    expect(await refusal(listPage(storeId, { pageToken: newestFirstToken, replacementLate: true }))).toBe("ValidationError pageToken");
    expect(await refusal(listPage(storeId, { pageSize: 501 }))).toBe("ValidationError pageSize");
    expect(await refusal(listPage(storeId, { pageSize: 2, limit: 2 }))).toBe("ValidationError limit");
  });
});
