import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { cancelledOrdersUnwound } from "./cancellations.ts";
import type { CheckContext } from "./context.ts";
import { goodwillRefundedOnce } from "./money-and-timers.ts";

/**
 * The checker must see what it claims to: each way money can fail to come back — a
 * cancellation left half done, a goodwill refund missing, short or twice — is planted in
 * tables shaped like the services' (only the columns it reads) and caught.
 */
let namespace: TestNamespace;
let db: pg.Pool;
let context: CheckContext;

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await db.query(`
    CREATE SCHEMA fulfillment; CREATE SCHEMA intake; CREATE SCHEMA billing; CREATE SCHEMA warehouse; CREATE SCHEMA dispatch;
    CREATE TABLE fulfillment.orders (order_id text PRIMARY KEY, status text NOT NULL, body jsonb NOT NULL);
    CREATE TABLE intake.orders (order_id text PRIMARY KEY, grand_total_minor bigint NOT NULL);
    CREATE TABLE billing.payments (order_id text NOT NULL, amount_minor bigint NOT NULL);
    CREATE TABLE billing.refunds (order_id text NOT NULL, amount_minor bigint NOT NULL,
      refund_id text NOT NULL DEFAULT gen_random_uuid()::text, trigger text NOT NULL DEFAULT 'cancellation', reference text NOT NULL DEFAULT '');
    CREATE TABLE warehouse.reservations (reservation_id text PRIMARY KEY, order_id text NOT NULL, status text NOT NULL);
    CREATE TABLE dispatch.tasks (task_id text PRIMARY KEY, order_id text NOT NULL, status text NOT NULL);`);
  // Goodwill was asked for on the orders named so, a tenth of their total.
  const goodwillAskedFor = ({ orderId, grandTotalMinor }: { orderId: string; grandTotalMinor: number }) => (orderId.startsWith("goodwill") ? grandTotalMinor / 10 : 0);
  context = { db, accepted: new Map(), sent: new Set(), endOf: () => "closed", goodwillAskedFor, complaintRefundFor: () => 0, exchanges: new Map(), planted: [], topics: new Map() };
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

beforeEach(async () => {
  await db.query("TRUNCATE fulfillment.orders, intake.orders, billing.payments, billing.refunds, warehouse.reservations, dispatch.tasks");
});

/** An order cancelled after assignment, as the services leave it when all went well. */
async function cancelled(orderId: string, { prepaid }: { prepaid: boolean }): Promise<void> {
  await db.query("INSERT INTO fulfillment.orders VALUES ($1, 'cancelled', $2)", [orderId, { prepaid }]);
  await db.query("INSERT INTO intake.orders VALUES ($1, 5000)", [orderId]);
  if (prepaid) await db.query("INSERT INTO billing.refunds VALUES ($1, 5000)", [orderId]);
  await db.query("INSERT INTO warehouse.reservations VALUES ($1, $2, 'released')", [`${orderId}/reservation`, orderId]);
  await db.query("INSERT INTO dispatch.tasks VALUES ($1, $2, 'cancelled')", [`${orderId}/task`, orderId]);
}

describe("invariant: every cancelled order was unwound", () => {
  it("passes orders whose money, stock and tasks all went back", async () => {
    await cancelled("o-prepaid", { prepaid: true });
    await cancelled("o-on-delivery", { prepaid: false });
    const outcome = await cancelledOrdersUnwound(context);
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toMatch(/^2 cancelled orders \(1 paid before\): 5,000 refunded/);
  });

  it("catches money kept, stock still held and a task still open", async () => {
    await cancelled("o-not-refunded", { prepaid: true });
    await db.query("DELETE FROM billing.refunds WHERE order_id = 'o-not-refunded'");
    await cancelled("o-paid-at-desk", { prepaid: false });
    await db.query("INSERT INTO billing.payments VALUES ('o-paid-at-desk', 1200)");
    await cancelled("o-stock-held", { prepaid: false });
    await db.query("UPDATE warehouse.reservations SET status = 'ready-to-pick' WHERE order_id = 'o-stock-held'");
    await cancelled("o-task-open", { prepaid: false });
    await db.query("UPDATE dispatch.tasks SET status = 'acknowledged' WHERE order_id = 'o-task-open'");
    const outcome = await cancelledOrdersUnwound(context);
    expect(outcome.ok).toBe(false);
    expect([...outcome.details].sort()).toEqual([
      "cancelled order o-not-refunded: 0 refunded of 5000 paid",
      "cancelled order o-paid-at-desk: 0 refunded of 1200 paid",
      "cancelled order o-stock-held still holds stock: o-stock-held/reservation ready-to-pick",
      "cancelled order o-task-open still has open tasks: o-task-open/task acknowledged",
    ]);
  });
});

describe("invariant: every goodwill refund issued exactly once", () => {
  async function closed(orderId: string, ...goodwill: number[]): Promise<void> {
    await db.query("INSERT INTO fulfillment.orders VALUES ($1, 'closed', '{}')", [orderId]);
    await db.query("INSERT INTO intake.orders VALUES ($1, 5000)", [orderId]);
    for (const amount of goodwill) {
      await db.query("INSERT INTO billing.refunds (order_id, amount_minor, trigger, reference) VALUES ($1, $2, 'finance', $3)", [orderId, amount, `finance:GOODWILL-${orderId}`]);
    }
  }

  it("passes goodwill refunded once where asked, split over two sources or not, and none elsewhere", async () => {
    await closed("goodwill-1", 500);
    await closed("goodwill-2", 300, 200);
    await closed("plain");
    const outcome = await goodwillRefundedOnce(context);
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toMatch(/^2 of 3 closed orders got goodwill: 1,000 refunded/);
  });

  it("catches goodwill refunded twice, short, missing, or where none was asked", async () => {
    await closed("goodwill-twice", 500, 500);
    await closed("goodwill-short", 400);
    await closed("goodwill-missing");
    await closed("plain-but-refunded", 500);
    const outcome = await goodwillRefundedOnce(context);
    expect(outcome.ok).toBe(false);
    expect([...outcome.details].sort()).toEqual([
      "order goodwill-missing: 0 refunded as goodwill, 500 asked (0 refund rows)",
      "order goodwill-short: 400 refunded as goodwill, 500 asked (1 refund rows)",
      "order goodwill-twice: 1000 refunded as goodwill, 500 asked (2 refund rows)",
      "order plain-but-refunded: 500 refunded as goodwill, 0 asked (1 refund rows)",
    ]);
  });
});
