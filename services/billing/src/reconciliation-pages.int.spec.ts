import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEveryPage } from "@oms/testing";
import { type BillingUnderTest, startTestBilling } from "./test-fixtures.ts";

// Finance's and auditors' list of a store's reconciliations (ADR 023, twenty-eighth session's
// addendum): once cut at 400 runs unsaid, now read a page at a time, whole.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const DAY = 86_400_000;
const listPage = (storeId: string, from: Date, until: Date, page: { pageSize?: number; pageToken?: string } = {}) =>
  under.query.listReconciliations({ storeId, from: from.toISOString(), until: until.toISOString(), pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" });

/** A run recorded as a finished one is: its period, and when it completed. */
async function runRecorded(storeId: string, periodFrom: Date, completedAt: Date): Promise<string> {
  const reconciliationId = randomUUID();
  await under.billing.runtime.pool.query(
    `INSERT INTO reconciliations (reconciliation_id, store_id, period_from, period_until, request_id, started_by, orders_compared, differences_found, resolved_by_data, completed_at)
     VALUES ($1, $2, $3, $4, $5, 'staff:fin-1', 0, 0, 0, $6)`,
    [reconciliationId, storeId, periodFrom, new Date(periodFrom.getTime() + DAY), `req-${reconciliationId}`, completedAt],
  );
  return reconciliationId;
}

describe("a store's reconciliations, a page at a time", () => {
  it("are read whole across pages, newest period first, no run twice or missing while runs are recorded meanwhile", async () => {
    const storeId = `store-recon-${randomUUID().slice(0, 8)}`;
    const base = new Date(Date.UTC(2026, 5, 1));
    const from = new Date(base.getTime() - 30 * DAY);
    const until = new Date(base.getTime() + 30 * DAY);
    // Five periods; two reruns of one period; two runs completed at the same microsecond (the id breaks the tie).
    const sameInstant = new Date(base.getTime() + 3 * DAY + 3_600_000);
    const planted = [
      { day: 0, completed: 1 },
      { day: 1, completed: 2 },
      { day: 1, completed: 5 },
      { day: 2, completed: 3 },
      { day: 3, completed: "same" as const },
      { day: 3, completed: "same" as const },
      { day: 4, completed: 6 },
    ];
    const runs = [];
    for (const p of planted) {
      const periodFrom = new Date(base.getTime() + p.day * DAY);
      const completedAt = p.completed === "same" ? sameInstant : new Date(base.getTime() + p.day * DAY + p.completed * 3_600_000);
      runs.push({ id: await runRecorded(storeId, periodFrom, completedAt), periodFrom: periodFrom.getTime(), completedAt: completedAt.getTime() });
    }
    const expected = [...runs].sort((a, b) => b.periodFrom - a.periodFrom || b.completedAt - a.completedAt || (a.id < b.id ? 1 : -1)).map((r) => r.id);

    let meanwhile: string[] = [];
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(storeId, from, until, { pageSize: 3, pageToken });
      // Runs recorded between two pages, one in a period already read and one ahead: the rows listed neither shift nor repeat.
      if (meanwhile.length === 0) meanwhile = [await runRecorded(storeId, new Date(base.getTime() + 4 * DAY), new Date()), await runRecorded(storeId, new Date(base.getTime() - DAY), new Date())];
      return { items: page.reconciliations.map((r) => r.reconciliationId), nextPageToken: page.nextPageToken };
    });
    // The run ahead of every page read (an earlier period) is listed, the one behind them is not: nothing of the first read lost or twice.
    expect(whole).toEqual({ items: [...expected, meanwhile[1]], pages: 3 });

    const all = await listPage(storeId, from, until, { pageSize: 400 });
    expect(all).toMatchObject({ nextPageToken: "" });
    expect(all.reconciliations).toHaveLength(expected.length + 2);
  });

  it("refuses a forged or malformed page token and a page size out of range, naming each", async () => {
    const from = new Date(Date.UTC(2026, 0, 1));
    const until = new Date(Date.UTC(2026, 1, 1));
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "1", "run-x"])).toString("base64url");
    for (const pageToken of ["not-a-token", forged]) {
      await expect(listPage("store-test", from, until, { pageToken })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
    }
    await expect(listPage("store-test", from, until, { pageSize: 401 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
  });
});
