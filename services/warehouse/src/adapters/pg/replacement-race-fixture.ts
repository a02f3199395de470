import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type pg from "pg";
import { EventTypes, decodeEnvelope, encodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { OutboxWriter, messagingMigrations, type BatchItem } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, runMigrations, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { packReplacement } from "../../app/commands/pack-replacement.ts";
import { pickReplacement } from "../../app/commands/pick-replacement.ts";
import { shipReplacement } from "../../app/commands/ship-replacement.ts";
import { afterSalesCasesConsumer } from "../../ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer } from "../../ports/consumers/fulfillment-requests.ts";
import { warehouseService } from "../../service.ts";
import { testDeadlines } from "../../test-fixtures.ts";

type ShipRequest = Parameters<typeof shipReplacement>[2];

/**
 * A clerk's way out for a replacement, its three steps in their order (ADR 030's seventh
 * addendum): the pick (which reserves one still awaiting stock, locking its stock rows first as
 * the shipment does), the pack, the shipment. What the race specs race against the desk, rises
 * and orders.
 */
export async function clerkShips(pool: pg.Pool, outbox: OutboxWriter, request: ShipRequest, correlationId: string, logger: ReturnType<typeof createLogger>) {
  const step = { caseId: request.caseId, caller: request.caller, correlationId, callerStoreIds: request.callerStoreIds };
  await pickReplacement(pool, outbox, { ...step, parcels: 0 }, correlationId, logger, testDeadlines);
  await packReplacement(pool, outbox, { ...step, parcels: 1 }, correlationId, logger, testDeadlines);
  return shipReplacement(pool, outbox, request, correlationId, logger);
}

/**
 * What the replacements' race specs share (ADR 030): a migrated database of their own with a
 * pool large enough for every racer, and the warehouse's two consumers applied to batches as
 * Kafka would hand them over. Registers its own beforeAll/afterAll; `pool()` is set once they ran.
 */
export function replacementRace(applicationName: string) {
  let namespace: TestNamespace | undefined;
  let pool: pg.Pool | undefined;
  const outbox = new OutboxWriter({ topic: "oms.warehouse.stock.v1", schema: "public" });
  const logger = createLogger({ service: "warehouse-test", level: "error", pretty: false });
  const agent = { kind: "staff", id: "cs-1", role: "customer-service" } as const;

  beforeAll(async () => {
    namespace = await createTestNamespace();
    pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName, max: 24 });
    await runMigrations(pool, "public", [...messagingMigrations, ...timerMigrations, ...warehouseService.migrations]);
  });

  afterAll(async () => {
    await pool?.end();
    await namespace?.drop();
  });

  const poolOf = () => {
    if (!pool) throw new Error("the race's database is made in beforeAll");
    return pool;
  };
  const asBatchItems = (events: OrderEvent[], topic: string): BatchItem[] =>
    events.map((event) => {
      const value = Buffer.from(encodeEvent(event));
      return { event, envelope: decodeEnvelope(value), value, topic };
    });
  const orders = fulfillmentRequestsConsumer(outbox, testDeadlines).handleBatch!;
  const cases = afterSalesCasesConsumer(outbox, testDeadlines).handleBatch!;

  return {
    pool: poolOf,
    outbox,
    logger,
    agent,
    applyOrders: (events: OrderEvent[]) => withTransaction(poolOf(), (tx) => orders(asBatchItems(events, "oms.fulfillment.order.v1"), { tx, logger })),
    applyCases: (events: OrderEvent[]) => withTransaction(poolOf(), (tx) => cases(asBatchItems(events, "oms.aftersales.case.v1"), { tx, logger })),
    /** An exchange accepted at the store for these lines, on an order of its own. */
    exchangeAccepted(storeId: string, lines: { sku: string; quantity: number }[]) {
      const caseId = `case-${randomUUID()}`;
      return newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: "cs-1", note: "", kind: "exchange", lines }, { producer: "after-sales", orderId: `o-${caseId}`, storeId, actor: agent });
    },
  };
}
