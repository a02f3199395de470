import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPool, migrationsFromDirectory, runMigrations, statementsSentByThisProcess, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { anOrder } from "../../domain/order-fixture.ts";
import { orderRepository } from "./order-repository.ts";
import { timelineRepository, type TimelineEntry } from "./timeline-repository.ts";

/** A unit of work's writes to orders and their timeline, on the real database. */
let namespace: TestNamespace;
let pool: pg.Pool;

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "order-repository-test" });
  await runMigrations(pool, "public", await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "fulfillment"));
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

const entry = (orderId: string, what: string, eventId = randomUUID()): TimelineEntry => ({ orderId, at: new Date(), service: "fulfillment", what, detail: "", kind: "unknown", facts: {}, actor: "system:test", eventId });

describe("saving a unit of work's orders", () => {
  it("inserts the new, updates the changed and appends their timeline in one round trip, skipping what is already there", async () => {
    const [kept, created] = [anOrder({ orderId: randomUUID() }), anOrder({ orderId: randomUUID() })];
    const recorded = entry(kept.orderId, "order.received");
    await withTransaction(pool, (tx) => orderRepository.saveMany(tx, { inserted: [kept], updated: [], timeline: [recorded] }));

    await withTransaction(pool, async (tx) => {
      const before = statementsSentByThisProcess();
      await orderRepository.saveMany(tx, {
        // `kept` again as new (a redelivery): left as it is, while its update below lands.
        inserted: [created, { ...kept, status: "cancelled" }],
        updated: [{ ...kept, status: "confirmed", priority: 7 }],
        timeline: [recorded, entry(kept.orderId, "order.confirmed"), entry(created.orderId, "order.received")],
      });
      expect(statementsSentByThisProcess() - before).toBe(1);
    });

    const { rows } = await pool.query<{ order_id: string; status: string; priority: number; version: number }>(
      "SELECT order_id, status, priority, version FROM orders WHERE order_id = ANY($1) ORDER BY order_id",
      [[kept.orderId, created.orderId]],
    );
    expect(new Map(rows.map((r) => [r.order_id, [r.status, r.priority, r.version]]))).toEqual(
      new Map([
        [kept.orderId, ["confirmed", 7, 2]],
        [created.orderId, [created.status, created.priority, 1]],
      ]),
    );
    const timeline = await pool.query<{ order_id: string; what: string }>("SELECT order_id, what FROM timeline WHERE order_id = ANY($1) ORDER BY id", [
      [kept.orderId, created.orderId],
    ]);
    expect(timeline.rows).toEqual([
      { order_id: kept.orderId, what: "order.received" },
      { order_id: kept.orderId, what: "order.confirmed" },
      { order_id: created.orderId, what: "order.received" },
    ]);
  });
});

describe("what a saved order reads back as", () => {
  it("keeps free text, a moved store, an absent hold and every timeline field exactly", async () => {
    const awkward = `quote " backslash \\ brace { } comma , 中文 ✓ newline\nend`;
    const base = anOrder({ orderId: randomUUID(), holdReason: "awaiting-stock", tags: [awkward] });
    const order = { ...base, lines: [{ ...base.lines[0]!, description: awkward }] };
    const at = new Date("2026-12-06T10:11:12.345Z");
    const timeline = [{ ...entry(order.orderId, "order.received"), at, detail: awkward, actor: `staff:"${awkward}"` }];
    await withTransaction(pool, (tx) => orderRepository.saveMany(tx, { inserted: [order], updated: [], timeline }));
    const moved = { ...order, storeId: "store-elsewhere", holdReason: undefined, priority: 3 };
    await withTransaction(pool, (tx) => orderRepository.saveMany(tx, { inserted: [], updated: [moved], timeline: [] }));

    expect((await orderRepository.find(pool, order.orderId))?.order).toEqual(moved);
    expect((await timelineRepository.ofOrders(pool, [order.orderId])).get(order.orderId)).toEqual(timeline);
  });
});
