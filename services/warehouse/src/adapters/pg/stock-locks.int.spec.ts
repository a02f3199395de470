import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { ConflictError, IllegalStateError } from "@oms/errors";
import { OutboxWriter, messagingMigrations } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, runMigrations, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { advanceReservation } from "../../app/advance-reservation.ts";
import { releaseStock } from "../../app/commands/release-stock.ts";
import { reserveStock } from "../../app/commands/reserve-stock.ts";
import { warehouseService } from "../../service.ts";
import { clerk, putOnRecord, releaseRequested, reservationRequested, testStore } from "../../test-fixtures.ts";
import { stockLedger } from "./stock-ledger.ts";

let namespace: TestNamespace;
let pool: pg.Pool;
const outbox = new OutboxWriter({ topic: "oms.warehouse.stock.v1", schema: "public" });
const logger = createLogger({ service: "warehouse-test", level: "error", pretty: false });

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "stock-locks-test", max: 24 });
  await runMigrations(pool, "public", [...messagingMigrations, ...warehouseService.migrations]);
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

type Request = ReturnType<typeof reservationRequested>;

/** What the consumer does with a Kafka batch: one transaction, and on failure one transaction per event. */
async function applyLikeTheConsumer(batch: Request[], failures: unknown[]): Promise<void> {
  try {
    await withTransaction(pool, async (tx) => {
      for (const request of batch) await reserveStock(tx, outbox, request, logger);
    });
  } catch (error) {
    failures.push(error);
    for (const request of batch) await withTransaction(pool, (tx) => reserveStock(tx, outbox, request, logger));
  }
}

describe("stock locks", () => {
  it("never deadlock, although batches lock the SKUs of many orders in any order", async () => {
    const storeId = testStore();
    const skus = ["A", "B", "C", "D", "E"];
    await putOnRecord(
      pool,
      skus.flatMap((sku) => [
        { storeId, sku, location: "L1", onHand: 20, safetyStock: 1 },
        { storeId, sku, location: "L2", onHand: 10, safetyStock: 0 },
      ]),
    );
    let seed = 7;
    const pick = () => skus[(seed = (seed * 48_271) % 2_147_483_647) % skus.length]!;
    const batches = Array.from({ length: 40 }, () =>
      Array.from({ length: 8 }, () => reservationRequested(storeId, [{ sku: pick(), quantity: 1 + (seed % 3) }, { sku: pick(), quantity: 1 }])),
    );

    const batchFailures: unknown[] = [];
    await Promise.all(batches.map((batch) => applyLikeTheConsumer(batch, batchFailures)));

    // A busy row out of order fails the batch at once (then its events go one by one); a deadlock would say db.concurrent-update.
    for (const failure of batchFailures) expect(failure).toMatchObject({ code: "stock.locked-out-of-order" });
    expect(batchFailures.every((f) => f instanceof ConflictError)).toBe(true);
    const { rows } = await pool.query<{ sku: string; reserved: number; promisable: number }>(
      "SELECT sku, sum(reserved)::int AS reserved, min(on_hand - reserved - safety_stock)::int AS promisable FROM stock WHERE store_id = $1 GROUP BY sku ORDER BY sku",
      [storeId],
    );
    for (const row of rows) {
      expect(row.promisable).toBeGreaterThanOrEqual(0);
      expect(row.reserved).toBeLessThanOrEqual(29);
    }
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
    // Every request was answered exactly once, reserved or short.
    const answered = await pool.query<{ count: number }>("SELECT count(*)::int AS count FROM outbox");
    expect(answered.rows[0]!.count).toBe(batches.flat().length);
  });

  it("never deadlock when clerks ship reservations that batches release at the same time", async () => {
    const storeId = testStore();
    const skus = ["A", "B", "C", "D", "E"];
    await putOnRecord(
      pool,
      skus.flatMap((sku) => [
        { storeId, sku, location: "L1", onHand: 200, safetyStock: 0 },
        { storeId, sku, location: "L2", onHand: 50, safetyStock: 0 },
      ]),
    );
    const requests = Array.from({ length: 30 }, (_, i) =>
      reservationRequested(storeId, [
        { sku: skus[i % 5]!, quantity: 2 },
        { sku: skus[(i * 3 + 1) % 5]!, quantity: 1 },
      ]),
    );
    for (const request of requests) {
      const { reservationId } = request.payload;
      await withTransaction(pool, async (tx) => {
        await reserveStock(tx, outbox, request, logger);
        const cause = { actor: clerk, correlationId: "race" };
        await advanceReservation(tx, outbox, { type: "RequestShipment", reservationId, fulfillmentMethod: "ship" }, cause);
        await advanceReservation(tx, outbox, { type: "PickReservation", reservationId }, cause);
        await advanceReservation(tx, outbox, { type: "PackReservation", reservationId, parcels: 1 }, cause);
      });
    }

    // Each batch reserves for new orders and releases some of the packed reservations (their orders were cancelled) ...
    const batches = Array.from({ length: 10 }, (_, b) =>
      [0, 1, 2].flatMap((k) => {
        const cancelled = requests[(b * 3 + k) % requests.length]!;
        return [
          reservationRequested(storeId, [{ sku: skus[(b + k) % 5]!, quantity: 1 }]),
          releaseRequested(storeId, cancelled.orderId, cancelled.payload.reservationId),
        ];
      }),
    );
    type Release = ReturnType<typeof releaseRequested>;
    const apply = (tx: pg.PoolClient, event: Request | Release) =>
      "lines" in event.payload ? reserveStock(tx, outbox, event as Request, logger) : releaseStock(tx, outbox, event as Release, logger);
    const failures: unknown[] = [];
    // A release that comes after the shipment (or the other way round) is refused: that race is lost, not broken.
    const lostRaces: unknown[] = [];
    const record = (error: unknown) => (error instanceof IllegalStateError ? lostRaces.push(error) : failures.push(error));
    const consume = async (batch: (typeof batches)[number]) => {
      try {
        await withTransaction(pool, async (tx) => {
          for (const event of batch) await apply(tx, event);
        });
      } catch (error) {
        record(error);
        for (const event of batch) await withTransaction(pool, (tx) => apply(tx, event)).catch(record);
      }
    };
    // ... while clerks ship every packed reservation, each in its own transaction.
    const ship = (request: Request) => {
      const command = { type: "ShipReservation", reservationId: request.payload.reservationId, carrier: "SF", trackingNumber: "SF1" } as const;
      return withTransaction(pool, (tx) => advanceReservation(tx, outbox, command, { actor: clerk })).catch(record);
    };
    await Promise.all([...batches.map(consume), ...requests.map(ship)]);

    // A deadlock would surface as db.concurrent-update; out-of-order locks fail fast and are retried one by one.
    for (const failure of failures) expect(failure).toMatchObject({ code: "stock.locked-out-of-order" });
    expect(lostRaces.length).toBeGreaterThan(0);
    const { rows } = await pool.query<{ status: string; count: number }>(
      "SELECT status, count(*)::int AS count FROM reservations WHERE reservation_id = ANY($1) GROUP BY status",
      [requests.map((r) => r.payload.reservationId)],
    );
    expect(rows.every((r) => r.status === "shipped" || r.status === "released")).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(requests.length);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
  });
});
