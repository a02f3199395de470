import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEveryPage } from "@oms/testing";
import { startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * The figures billing reconciles against (ADR 023), over gRPC: a store's orders that ended in
 * a period, a page at a time without losing or repeating one at a page's edge (orders ending
 * in the same microsecond included), and given orders by id whatever their store and status.
 */
let under: FulfillmentUnderTest;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

const base = new Date("2026-12-06T00:00:00Z");
const totals = (grandTotalMinor: number) => ({ linesMinor: grandTotalMinor, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor, currency: "CNY" });

/** An order of the store, last changed `minutes` after the period's start, written as the service writes its columns. */
async function order(storeId: string, status: string, minutes: number, grandTotalMinor = 10_800): Promise<string> {
  const orderId = randomUUID();
  await under.fulfillment.runtime.pool.query(
    `INSERT INTO orders (order_id, store_id, channel, channel_order_id, kind, status, priority, body, created_at, updated_at)
     VALUES ($1, $2, 'website', $1, 'goods', $3, 0, $4, $5, $5)`,
    [orderId, storeId, status, { totals: totals(grandTotalMinor), paymentMethod: "third-party" }, new Date(base.getTime() + minutes * 60_000)],
  );
  return orderId;
}

describe("order figures for reconciliation", () => {
  it("lists a store's orders closed or cancelled in the period, oldest first, every one once across pages", async () => {
    const storeId = `store-${randomUUID()}`;
    const ended: string[] = [];
    for (let i = 0; i < 7; i++) ended.push(await order(storeId, i % 3 === 0 ? "cancelled" : "closed", 10 + Math.floor(i / 2)));
    await order(storeId, "delivered", 20);
    await order(storeId, "closed", -5);
    await order(storeId, "closed", 24 * 60);
    await order(`store-${randomUUID()}`, "closed", 30);

    const { items: seen, pages } = await readEveryPage(async (pageToken) => {
      const page = await under.query.listOrderFigures({ storeId, endedFrom: base.toISOString(), endedUntil: new Date(base.getTime() + 86_400_000).toISOString(), pageSize: 3, pageToken, orderIds: [] });
      return { items: page.orders.map((o) => o.orderId), nextPageToken: page.nextPageToken };
    });
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ended].sort());
  });

  it("answers given orders by id, whatever their store and status, with their totals; ids it does not know are left out", async () => {
    const open = await order(`store-${randomUUID()}`, "shipped", 0, 4_200);
    const { orders, nextPageToken } = await under.query.listOrderFigures({ storeId: "", endedFrom: "", endedUntil: "", pageSize: 0, pageToken: "", orderIds: [open, randomUUID()] });
    expect(nextPageToken).toBe("");
    expect(orders).toEqual([expect.objectContaining({ orderId: open, status: "shipped", paymentMethod: "third-party", totals: expect.objectContaining({ grandTotalMinor: 4_200, currency: "CNY" }) })]);
  });

  it("refuses a request without a store, a period over 31 days, a page too large or a token not its own, naming each field", async () => {
    await expect(under.query.listOrderFigures({ storeId: "", endedFrom: base.toISOString(), endedUntil: new Date(base.getTime() + 40 * 86_400_000).toISOString(), pageSize: 900, pageToken: "nonsense!", orderIds: [] })).rejects.toMatchObject({
      kind: "validation",
      fields: expect.arrayContaining(["storeId", "pageSize", "pageToken", "until"].map((field) => expect.objectContaining({ field }))),
    });
  });
});
