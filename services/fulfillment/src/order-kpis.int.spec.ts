import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * A store's order KPIs over gRPC, counted from the orders and their timelines as fulfillment
 * keeps them: the rows are written as the service writes them (only the columns the count
 * reads), so each figure can be told exactly.
 */
let under: FulfillmentUnderTest;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

const base = new Date("2026-11-02T08:00:00Z");
const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);

/** An order of `storeId` created at `base`, its timeline's steps at these minutes after it. */
async function order(storeId: string, status: string, steps: Record<string, number>, requestedUntil = ""): Promise<void> {
  const orderId = randomUUID();
  await under.fulfillment.runtime.pool.query(
    `INSERT INTO orders (order_id, store_id, channel, channel_order_id, kind, status, priority, body, created_at)
     VALUES ($1, $2, 'website', $1, 'goods', $3, 0, $4, $5)`,
    [orderId, storeId, status, { requestedUntil }, base],
  );
  for (const [what, minutes] of Object.entries(steps)) {
    await under.fulfillment.runtime.pool.query("INSERT INTO timeline (order_id, at, service, what, actor, event_id) VALUES ($1, $2, 'fulfillment', $3, 'system', $4)", [
      orderId,
      at(minutes),
      what.replace(/#\d$/, ""),
      randomUUID(),
    ]);
  }
}

describe("a store's order KPIs", () => {
  it("count intake timeliness, corrections, processing and on-time delivery over the orders created in the period", async () => {
    const storeId = `store-${randomUUID()}`;
    // Confirmed after 10 minutes, corrected, shipped after 2 h, delivered before its requested time.
    await order(storeId, "closed", { "order.received": 0, "order.confirmed": 10, "order.corrected": 30, "order.shipped": 120, "order.delivered": 300 }, at(360).toISOString());
    // Confirmed after 30 minutes, shipped after 4 h; its first part delivered in time, the order (its last part) late; delivered again after rework: the first counts.
    await order(storeId, "completed", { "order.received": 0, "order.confirmed": 30, "order.shipped": 240, "delivery.recorded": 250, "order.delivered": 500, "order.delivered#2": 900 }, at(360).toISOString());
    // Delivered with no requested time: out of the on-time rate.
    await order(storeId, "delivered", { "order.received": 0, "order.confirmed": 20, "order.shipped": 180, "order.delivered": 400 });
    await order(storeId, "cancelled", { "order.received": 0 });
    await order(`store-${randomUUID()}`, "closed", { "order.received": 0, "order.confirmed": 1 });

    const kpis = await under.query.getOrderKpis({ storeId, from: at(-60).toISOString(), until: at(60).toISOString() });
    expect(kpis).toMatchObject({
      storeId,
      orders: 4,
      confirmed: 3,
      meanMinutesToConfirm: 20,
      corrected: 1,
      correctionRate: 0.25,
      shipped: 3,
      meanHoursToShip: 3,
      deliveredWithRequestedTime: 2,
      deliveredOnTime: 1,
      onTimeDeliveryRate: 0.5,
      cancelled: 1,
    });
    // Orders created outside the period are not counted.
    expect(await under.query.getOrderKpis({ storeId, from: at(60).toISOString(), until: at(120).toISOString() })).toMatchObject({ orders: 0, onTimeDeliveryRate: 0, meanMinutesToConfirm: 0 });
  });

  it("refuse a store or period missing, not RFC 3339, backwards or over a year, naming each field", async () => {
    const refusal = (request: { storeId: string; from: string; until: string }) =>
      under.query.getOrderKpis(request).then(
        () => "granted",
        (error: unknown) => (error instanceof ValidationError ? error.fields.map((f) => f.field).join(", ") : String(error)),
      );
    expect(await refusal({ storeId: "", from: "", until: "" })).toBe("storeId, from, until");
    expect(await refusal({ storeId: "s", from: "2026-12-02T00:00:00Z", until: "2026-12-01T00:00:00Z" })).toBe("until");
    // A year of local days at most, and the hour the clocks may go back in it: a second beyond is refused.
    expect(await refusal({ storeId: "s", from: "2026-01-01T00:00:00Z", until: "2027-01-02T01:00:01Z" })).toBe("until");
    expect(await refusal({ storeId: "s", from: "yesterday", until: "2026-12-01T00:00:00Z" })).toBe("from");
  });
});
