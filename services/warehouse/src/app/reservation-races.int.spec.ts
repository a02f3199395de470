import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { decodeEnvelope, encodeEvent, type OrderEvent } from "@oms/contracts";
import { OutboxWriter, messagingMigrations, type BatchItem } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, runMigrations, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { stockLedger } from "../adapters/pg/stock-ledger.ts";
import { fulfillmentRequestsConsumer } from "../ports/consumers/fulfillment-requests.ts";
import { warehouseService } from "../service.ts";
import { putOnRecord, releaseRequested, reservationRequested, reservationStatusOf, shipmentRequested, testDeadlines, testSku, testStore } from "../test-fixtures.ts";
import { rejectReservation } from "./commands/reject-reservation.ts";

/**
 * Requests from fulfillment that cross what happened in the warehouse meanwhile, applied as
 * the consumer applies a Kafka batch (one transaction), on a database of their own.
 */
let namespace: TestNamespace;
let pool: pg.Pool;
const outbox = new OutboxWriter({ topic: "oms.warehouse.stock.v1", schema: "public" });
const logger = createLogger({ service: "warehouse-test", level: "error", pretty: false });
const { handleBatch } = fulfillmentRequestsConsumer(outbox, testDeadlines);

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "reservation-races-test", max: 4 });
  await runMigrations(pool, "public", [...messagingMigrations, ...timerMigrations, ...warehouseService.migrations]);
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

const apply = (events: OrderEvent[]) =>
  withTransaction(pool, (tx) =>
    handleBatch!(
      events.map((event): BatchItem => {
        const value = Buffer.from(encodeEvent(event));
        return { event, envelope: decodeEnvelope(value), value, topic: "oms.fulfillment.order.v1" };
      }),
      { tx, logger },
    ),
  );

const stockOf = async (storeId: string, sku: string) =>
  (await pool.query("SELECT on_hand, reserved FROM stock WHERE store_id = $1 AND sku = $2", [storeId, sku])).rows;

describe("requests that cross the warehouse's own steps", () => {
  it("takes a shipment request for a reservation the store turned down meanwhile as nothing to do, not as a poison message", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await pool.query(`INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Minhang}', 100)`, [storeId]);
    await putOnRecord(pool, [{ storeId, sku, location: "A-1", onHand: 3, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 2 }]);
    await apply([{ ...request, payload: { ...request.payload, route: true, district: "Minhang" } }]);
    const { reservationId } = request.payload;
    const manager = { kind: "staff", id: "mgr-1", role: "store-manager" };
    await rejectReservation(pool, outbox, testDeadlines, { reservationId, reason: "shelf flooded", caller: manager, correlationId: "" });

    // Fulfillment asked for the goods before it heard of the rejection.
    await expect(apply([shipmentRequested(storeId, request.orderId, reservationId)])).resolves.toBeUndefined();

    expect(await reservationStatusOf(pool, reservationId)).toBe("released");
    expect((await pool.query("SELECT 1 FROM reservation_steps WHERE reservation_id = $1", [reservationId])).rows).toEqual([]);
    expect(await stockOf(storeId, sku)).toEqual([{ on_hand: 3, reserved: 0 }]);
  });

  it("gives a released reservation's stock back at the store holding it, whichever store the request's envelope names", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool, [{ storeId, sku, location: "A-1", onHand: 5, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 2 }]);
    await apply([request]);
    expect(await stockOf(storeId, sku)).toEqual([{ on_hand: 5, reserved: 2 }]);

    await apply([releaseRequested(testStore(), request.orderId, request.payload.reservationId)]);

    expect(await stockOf(storeId, sku)).toEqual([{ on_hand: 5, reserved: 0 }]);
    expect(await reservationStatusOf(pool, request.payload.reservationId)).toBe("released");
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
  });
});
