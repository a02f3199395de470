import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * A store's sales report over gRPC, counted from the orders as fulfillment keeps them: the
 * rows are written as the service writes them (only the columns the report reads), so each
 * figure can be told exactly.
 */
let under: FulfillmentUnderTest;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

interface Sold {
  createdAt: string;
  status?: string;
  kind?: "goods" | "service";
  channel?: string;
  region?: string;
  lines: [sku: string, description: string, quantity: number, unitPriceMinor: number][];
  /** Fees and tax on top of the lines. */
  extraMinor?: number;
}

async function order(storeId: string, sold: Sold): Promise<void> {
  const orderId = randomUUID();
  const lines = sold.lines.map(([sku, description, quantity, unitPriceMinor], i) => ({ lineId: `l${i}`, sku, description, quantity, unitPriceMinor, lineTotalMinor: quantity * unitPriceMinor }));
  const linesMinor = lines.reduce((total, l) => total + l.lineTotalMinor, 0);
  const totals = { linesMinor, discountMinor: 0, shippingFeeMinor: sold.extraMinor ?? 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: linesMinor + (sold.extraMinor ?? 0), currency: "CNY" };
  await under.fulfillment.runtime.pool.query(
    `INSERT INTO orders (order_id, store_id, channel, channel_order_id, kind, status, priority, body, created_at)
     VALUES ($1, $2, $3, $1, $4, $5, 0, $6, $7)`,
    [orderId, storeId, sold.channel ?? "website", sold.kind ?? "goods", sold.status ?? "closed", { lines, totals, ...(sold.region === undefined ? {} : { region: sold.region }) }, new Date(sold.createdAt)],
  );
}

const report = (storeId: string, fields: Partial<{ from: string; until: string; interval: string; timeZone: string; top: number }> = {}) =>
  under.query.getSalesReport({ storeId, from: "2026-11-01T00:00:00+08:00", until: "2026-11-04T00:00:00+08:00", interval: "", timeZone: "Asia/Shanghai", top: 0, ...fields });

describe("a store's sales report", () => {
  it("counts the trend by local day, the best-selling items, regions and channels over the orders not cancelled", async () => {
    const storeId = `store-${randomUUID()}`;
    // 1 November in Shanghai: two sales, one cancelled order.
    await order(storeId, { createdAt: "2026-11-01T01:00:00+08:00", region: "Jing'an", lines: [["KETTLE-1", "Kettle 1.7 l", 2, 19_900]], extraMinor: 1_000 });
    await order(storeId, { createdAt: "2026-11-01T23:30:00+08:00", region: "Xuhui", channel: "tmall", lines: [["KETTLE-1", "Kettle 1.7 l, steel", 1, 19_900], ["MUG-2", "Mug", 3, 2_500]] });
    await order(storeId, { createdAt: "2026-11-01T12:00:00+08:00", status: "cancelled", region: "Xuhui", lines: [["KETTLE-1", "Kettle 1.7 l", 10, 19_900]] });
    // 2 November: nothing. 3 November (still 2 November in UTC): a cleaning visit, and a rejected order.
    await order(storeId, { createdAt: "2026-11-03T07:00:00+08:00", kind: "service", channel: "phone", lines: [["CLEAN-3H", "Cleaning, 3 hours", 1, 36_000]] });
    await order(storeId, { createdAt: "2026-11-03T08:00:00+08:00", status: "rejected", region: "Jing'an", lines: [["MUG-2", "Mug", 1, 2_500]] });
    // Outside the period, and another store's.
    await order(storeId, { createdAt: "2026-10-31T23:59:00+08:00", lines: [["MUG-2", "Mug", 100, 2_500]] });
    await order(`store-${randomUUID()}`, { createdAt: "2026-11-02T10:00:00+08:00", lines: [["MUG-2", "Mug", 100, 2_500]] });

    const sales = await report(storeId);
    expect(sales).toMatchObject({ storeId, interval: "day", timeZone: "Asia/Shanghai", currency: "CNY", orders: 5, cancelled: 2, salesMinor: 40_800 + 27_400 + 36_000 });
    expect(sales.trend).toEqual([
      { startsAt: "2026-10-31T16:00:00.000Z", orders: 3, cancelled: 1, salesMinor: 68_200 },
      { startsAt: "2026-11-01T16:00:00.000Z", orders: 0, cancelled: 0, salesMinor: 0 },
      { startsAt: "2026-11-02T16:00:00.000Z", orders: 2, cancelled: 1, salesMinor: 36_000 },
    ]);
    expect(sales.items).toEqual([
      { sku: "KETTLE-1", description: "Kettle 1.7 l, steel", kind: "goods", quantity: 3, salesMinor: 59_700, orders: 2 },
      { sku: "CLEAN-3H", description: "Cleaning, 3 hours", kind: "service", quantity: 1, salesMinor: 36_000, orders: 1 },
      { sku: "MUG-2", description: "Mug", kind: "goods", quantity: 3, salesMinor: 7_500, orders: 1 },
    ]);
    expect(sales.regions).toEqual([
      { key: "", orders: 1, salesMinor: 36_000 },
      { key: "Xuhui", orders: 1, salesMinor: 27_400 },
      { key: "Jing'an", orders: 1, salesMinor: 40_800 },
    ].sort((a, b) => b.salesMinor - a.salesMinor));
    expect(sales.channels).toEqual([
      { key: "website", orders: 1, salesMinor: 40_800 },
      { key: "phone", orders: 1, salesMinor: 36_000 },
      { key: "tmall", orders: 1, salesMinor: 27_400 },
    ]);
    // The top item only. In UTC days the first order falls before the period, the cleaning visit on 2 November, the rejected order on 3 November.
    expect((await report(storeId, { top: 1 })).items.map((i) => i.sku)).toEqual(["KETTLE-1"]);
    expect((await report(storeId, { timeZone: "UTC", from: "2026-11-01T00:00:00Z", until: "2026-11-04T00:00:00Z" })).trend.map((p) => [p.startsAt, p.orders])).toEqual([
      ["2026-11-01T00:00:00.000Z", 2],
      ["2026-11-02T00:00:00.000Z", 1],
      ["2026-11-03T00:00:00.000Z", 1],
    ]);
  });

  it("buckets by Monday-first weeks and calendar months, the first bucket the one the period starts in", async () => {
    const storeId = `store-${randomUUID()}`;
    await order(storeId, { createdAt: "2026-11-04T10:00:00Z", lines: [["MUG-2", "Mug", 1, 2_500]] });
    await order(storeId, { createdAt: "2026-11-10T10:00:00Z", lines: [["MUG-2", "Mug", 2, 2_500]] });
    await order(storeId, { createdAt: "2026-12-01T10:00:00Z", lines: [["MUG-2", "Mug", 4, 2_500]] });
    const weeks = await report(storeId, { interval: "week", timeZone: "UTC", from: "2026-11-04T00:00:00Z", until: "2026-11-17T00:00:00Z" });
    expect(weeks.trend.map((p) => [p.startsAt, p.salesMinor])).toEqual([
      ["2026-11-02T00:00:00.000Z", 2_500],
      ["2026-11-09T00:00:00.000Z", 5_000],
      ["2026-11-16T00:00:00.000Z", 0],
    ]);
    const months = await report(storeId, { interval: "month", timeZone: "UTC", from: "2026-11-01T00:00:00Z", until: "2027-01-01T00:00:00Z" });
    expect(months.trend.map((p) => [p.startsAt, p.orders, p.salesMinor])).toEqual([
      ["2026-11-01T00:00:00.000Z", 2, 7_500],
      ["2026-12-01T00:00:00.000Z", 1, 10_000],
    ]);
  });

  it("counts an order whose body has no totals and lines no totals as selling nothing, ranked last, not first", async () => {
    const storeId = `store-${randomUUID()}`;
    await order(storeId, { createdAt: "2026-11-02T10:00:00+08:00", region: "Xuhui", channel: "tmall", lines: [["MUG-2", "Mug", 1, 2_500]] });
    // As a row written without totals (by hand, or before they were kept): a region, a channel and an item of its own.
    const orderId = randomUUID();
    await under.fulfillment.runtime.pool.query(
      `INSERT INTO orders (order_id, store_id, channel, channel_order_id, kind, status, priority, body, created_at) VALUES ($1, $2, 'phone', $1, 'goods', 'closed', 0, $3, $4)`,
      [orderId, storeId, { lines: [{ lineId: "l0", sku: "OLD-1", description: "Old kettle", quantity: 1 }], region: "Pudong" }, new Date("2026-11-02T11:00:00+08:00")],
    );
    const sales = await report(storeId);
    expect(sales).toMatchObject({ orders: 2, salesMinor: 2_500 });
    expect(sales.regions).toEqual([
      { key: "Xuhui", orders: 1, salesMinor: 2_500 },
      { key: "Pudong", orders: 1, salesMinor: 0 },
    ]);
    expect(sales.channels.map((c) => c.key)).toEqual(["tmall", "phone"]);
    expect(sales.items.map((i) => [i.sku, i.salesMinor])).toEqual([
      ["MUG-2", 2_500],
      ["OLD-1", 0],
    ]);
  });

  it("answers an empty period with empty buckets and no currency, and names every wrong field", async () => {
    const storeId = `store-${randomUUID()}`;
    const empty = await report(storeId, { timeZone: "UTC", from: "2026-11-01T00:00:00Z", until: "2026-11-03T00:00:00Z" });
    expect(empty).toMatchObject({ orders: 0, cancelled: 0, salesMinor: 0, currency: "", items: [], regions: [], channels: [] });
    expect(empty.trend).toHaveLength(2);
    await expect(report("", { interval: "hour", timeZone: "Mars/Olympus", top: 500, until: "2026-10-01T00:00:00Z" })).rejects.toMatchObject({
      kind: "validation",
      fields: ["storeId", "interval", "timeZone", "top", "until"].map((field) => expect.objectContaining({ field })),
    });
    // India's days are not cut at Israel's midnight: the abbreviation is refused, not read as Postgres reads it.
    await expect(report(storeId, { timeZone: "IST" })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "timeZone" })] });
  });
});
