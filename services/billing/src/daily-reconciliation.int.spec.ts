import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { UnavailableError, ValidationError } from "@oms/errors";
import { createLogger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { eventually, publishEvents } from "@oms/testing";
import type { FulfillmentOrders } from "./adapters/grpc-clients/fulfillment-orders.ts";
import { dayBefore, nextDailyRun } from "./app/daily-reconciliation.ts";
import { dailyReconciliationDue } from "./ports/timers/daily-reconciliation.ts";
import { type BillingUnderTest, consumed, orderCreated, orderFigures, prepaidWebsite, settlementRequested, startBillingWithFulfillmentStandIn } from "./test-fixtures.ts";

/**
 * The daily reconciliation on its durable timer: scheduled once at start for the next
 * BILLING_RECONCILE_AT, and when due it reconciles every store billing holds money of over the
 * day before, as billing itself, then schedules the next day's.
 */
let under: BillingUnderTest & { orders: Map<string, import("@oms/contracts").fulfillmentApi.OrderFigures> };
// Midnight: the next run is always tomorrow's, so the one the test brings forward is today's own.
const at = { hour: 0, minute: 0 };
const pad = (value: number) => String(value).padStart(2, "0");
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

beforeAll(async () => {
  under = await startBillingWithFulfillmentStandIn({ BILLING_RECONCILE_AT: "00:00" });
});

afterAll(() => under?.stop());

describe("the daily reconciliation", () => {
  it("is scheduled for the next midnight local time, once", async () => {
    const { rows } = await under.billing.runtime.pool.query("SELECT timer_key, due_at FROM timers WHERE kind = 'daily-reconciliation' AND fired_at IS NULL");
    const next = nextDailyRun(new Date(), at);
    expect(rows).toEqual([{ timer_key: next.key, due_at: next.dueAt }]);
  });

  it("when due, reconciles every store with money over the day before as billing, then schedules the next day", async () => {
    const orderId = randomUUID();
    const heard = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heard);
    await consumed(under.billing.runtime.pool, ...heard);
    under.orders.set(orderId, orderFigures(orderId, "closed"));
    // Its money moments were yesterday, as the run of today's timer sees them.
    const today = localDay(new Date());
    const yesterday = dayBefore(today);
    const noon = new Date((yesterday.from.getTime() + yesterday.until.getTime()) / 2);
    await under.billing.runtime.pool.query("UPDATE settlements SET created_at = $2 WHERE order_id = $1", [orderId, noon]);
    await under.billing.runtime.pool.query("UPDATE prepayments SET recorded_at = $2 WHERE order_id = $1", [orderId, noon]);
    // Today's run comes due now.
    await under.billing.runtime.pool.query("INSERT INTO timers (kind, timer_key, order_id, due_at) VALUES ('daily-reconciliation', $1, '', now()) ON CONFLICT (kind, timer_key) DO UPDATE SET due_at = now()", [today]);

    const run = await eventually(async () => {
      const listed = await under.query.listReconciliations({ storeId: "store-test", from: yesterday.from.toISOString(), until: yesterday.until.toISOString(), pageSize: 0, pageToken: "" });
      return listed.reconciliations[0];
    }, 15_000, 200);
    expect(run).toMatchObject({ requestId: `daily:${today}`, startedBy: "system:billing", periodFrom: yesterday.from.toISOString(), periodUntil: yesterday.until.toISOString(), balanced: false, differencesFound: 1 });
    const found = await under.query.getReconciliation({ reconciliationId: run.reconciliationId });
    expect(found.differences).toEqual([expect.objectContaining({ orderId, kind: "closed-without-invoice" })]);
    const { rows } = await under.billing.runtime.pool.query("SELECT timer_key FROM timers WHERE kind = 'daily-reconciliation' AND fired_at IS NULL");
    expect(rows.map((r) => r.timer_key)).toEqual([nextDailyRun(new Date(), at).key]);
  });
  it("schedules the next day's run even when a store's run is refused, and is only put off when fulfillment cannot answer", async () => {
    const { pool, outbox } = under.billing.runtime;
    const orderId = randomUUID();
    const heard = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heard);
    await consumed(pool, ...heard);
    await pool.query("DELETE FROM timers WHERE kind = 'daily-reconciliation' AND fired_at IS NULL");
    const answering = (failure: Error): FulfillmentOrders => ({ endedOrders: () => Promise.reject(failure), ordersByIds: () => Promise.reject(failure), close: () => {} });
    const logger = createLogger({ service: "billing", level: "silent", pretty: false });
    // A day long past, so no earlier run holds its request id.
    const due = (failure: Error, key: string) =>
      withTransaction(pool, (tx) => dailyReconciliationDue({ pool, outbox, fulfillment: answering(failure) }, at, logger)({ id: 0, kind: "daily-reconciliation", key, orderId: "", dueAt: new Date(), payload: {}, attempts: 0 }, tx));

    // Refused for good: retrying would use up the timer's attempts and set it aside, and with it every day after.
    await due(new ValidationError([{ field: "endedUntil", message: "must be at most 31 days after endedFrom" }]), "2026-01-15");
    const { rows } = await pool.query("SELECT timer_key FROM timers WHERE kind = 'daily-reconciliation' AND fired_at IS NULL");
    expect(rows.map((r) => r.timer_key)).toEqual([nextDailyRun(new Date(), at).key]);
    const listed = await under.query.listReconciliations({ storeId: "store-test", from: "2026-01-13T00:00:00Z", until: "2026-01-17T00:00:00Z", pageSize: 0, pageToken: "" });
    expect(listed.reconciliations).toEqual([]);

    // Fulfillment unreachable: the timer fails, the poller puts it off and it runs again.
    await expect(due(new UnavailableError("fulfillment.unavailable", "fulfillment did not answer"), "2026-01-16")).rejects.toBeInstanceOf(UnavailableError);
  });
});
