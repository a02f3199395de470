import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { publishEvents, readEveryPage } from "@oms/testing";
import { type BillingUnderTest, consumed, orderCreated, prepaidWebsite, settlementRequested, startTestBilling } from "./test-fixtures.ts";

// A store's settlement disputes, finance's and the store manager's worklist (ADR 026,
// twenty-eighth session's addendum): once cut at 1,000 unsaid, now read a page at a time, whole.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const finance = { callerKind: "staff", callerId: "fin-9", callerRole: "finance", correlationId: "" };
const listPage = (storeId: string, page: { pageSize?: number; pageToken?: string; orderIds?: string[] } = {}) =>
  under.query.listSettlementDisputes({ orderId: "", storeId, status: "", orderIds: page.orderIds ?? [], pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "", ...finance });

/**
 * A dispute opened on an order prepaid at the fixtures' store, then moved to `storeId`, this
 * spec's own, so that the other specs' disputes stay out of its list; `openedAt` when given.
 */
async function disputeAt(storeId: string, openedAt?: Date): Promise<string> {
  const orderId = randomUUID();
  const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, events);
  await consumed(under.billing.runtime.pool, ...events);
  const { disputeId } = await under.commands.openSettlementDispute({ orderId, requestId: "app-1", kind: "refund-missing", amountMinor: 1_000, statement: "the refund never came", callerKind: "customer", callerId: "cust-7", callerRole: "customer" });
  await under.billing.runtime.pool.query("UPDATE settlement_disputes SET store_id = $2, opened_at = COALESCE($3, opened_at) WHERE dispute_id = $1", [disputeId, storeId, openedAt ?? null]);
  return disputeId;
}

describe("a store's settlement disputes, a page at a time", () => {
  it("are read whole across pages, oldest first, none twice or missing while a dispute is opened meanwhile", async () => {
    const storeId = `store-disputes-${randomUUID().slice(0, 8)}`;
    const base = Date.now() - 10 * 86_400_000;
    // Five disputes opened out of order, two of them at the same microsecond (the id breaks the tie).
    const openedAt = [3, 1, 4, 2, 2].map((days) => new Date(base + days * 86_400_000));
    const planted: { id: string; at: number }[] = [];
    for (const at of openedAt) planted.push({ id: await disputeAt(storeId, at), at: at.getTime() });
    const expected = planted.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((d) => d.id);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(storeId, { pageSize: 2, pageToken });
      if (!meanwhile) meanwhile = await disputeAt(storeId);
      return { items: page.disputes.map((d) => d.disputeId), nextPageToken: page.nextPageToken };
    });
    // The one opened meanwhile is the newest, ahead of every page read: listed last, nothing else moved.
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });

  it("refuses a forged or malformed page token, a size out of range and a token on an order's list, naming each", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "d-x"])).toString("base64url");
    for (const pageToken of ["not-a-token", forged]) {
      await expect(listPage("store-test", { pageToken })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
    }
    await expect(listPage("store-test", { pageSize: 501 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
    await expect(listPage("", { orderIds: [randomUUID()], pageToken: "x" })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
  });
});
