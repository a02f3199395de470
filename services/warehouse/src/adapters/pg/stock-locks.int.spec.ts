import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { decodeEnvelope, encodeEvent, type OrderEvent } from "@oms/contracts";
import { IllegalStateError } from "@oms/errors";
import { OutboxWriter, messagingMigrations, type BatchItem } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, runMigrations, statementsSentByThisProcess, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { advanceReservation, newStepWrites, takeSteps } from "../../app/advance-reservation.ts";
import { decideShipment } from "../../domain/shipment.ts";
import { reservationRepository } from "./reservation-repository.ts";
import { reserveStock } from "../../app/commands/reserve-stock.ts";
import { isStockMovedWhileDeciding, ReservationBatch } from "../../app/reservation-batch.ts";
import { fulfillmentRequestsConsumer } from "../../ports/consumers/fulfillment-requests.ts";
import { warehouseService } from "../../service.ts";
import { clerk, putOnRecord, releaseRequested, reservationRequested, testDeadlines, testStore } from "../../test-fixtures.ts";
import { stockLedger } from "./stock-ledger.ts";
import { stockRepository } from "./stock-repository.ts";

let namespace: TestNamespace;
let pool: pg.Pool;
const outbox = new OutboxWriter({ topic: "oms.warehouse.stock.v1", schema: "public" });
const logger = createLogger({ service: "warehouse-test", level: "error", pretty: false });

beforeAll(async () => {
  namespace = await createTestNamespace();
  pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "stock-locks-test", max: 24 });
  await runMigrations(pool, "public", [...messagingMigrations, ...timerMigrations, ...warehouseService.migrations]);
});

afterAll(async () => {
  await pool?.end();
  await namespace?.drop();
});

type Request = ReturnType<typeof reservationRequested>;

const { handleBatch } = fulfillmentRequestsConsumer(outbox, testDeadlines);
const asBatchItems = (events: OrderEvent[]): BatchItem[] =>
  events.map((event) => {
    const value = Buffer.from(encodeEvent(event));
    return { event, envelope: decodeEnvelope(value), value, topic: "oms.fulfillment.order.v1" };
  });

/**
 * What EventConsumer does with a Kafka batch: the consumer's batch handler in one
 * transaction, and, if that fails, one transaction per event. `record` hears each failure.
 */
async function applyLikeTheConsumer(batch: OrderEvent[], record: (error: unknown) => void): Promise<void> {
  const apply = (events: OrderEvent[]) => withTransaction(pool, (tx) => handleBatch!(asBatchItems(events), { tx, logger }));
  try {
    await apply(batch);
  } catch (error) {
    record(error);
    for (const event of batch) await apply([event]).catch(record);
  }
}

describe("stock locks", () => {
  it("let concurrent batches over the same SKUs, in any order, queue: none deadlocks, fails or oversells", async () => {
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
    await Promise.all(batches.map((batch) => applyLikeTheConsumer(batch, (error) => batchFailures.push(error))));

    // Every batch went through whole, in one transaction: no busy row, no deadlock, no fallback to one event at a time.
    expect(batchFailures).toEqual([]);
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
        const batch = new ReservationBatch([request]);
        await reserveStock(tx, outbox, request, logger, batch);
        await batch.flush(tx);
        const cause = { actor: clerk, correlationId: "race" };
        await advanceReservation(tx, outbox, { type: "RequestShipment", reservationId, fulfillmentMethod: "ship" }, cause, testDeadlines);
        await advanceReservation(tx, outbox, { type: "PickReservation", reservationId }, cause, testDeadlines);
        await advanceReservation(tx, outbox, { type: "PackReservation", reservationId, parcels: 1 }, cause, testDeadlines);
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
    const failures: unknown[] = [];
    // A release that comes after the shipment (or the other way round) is refused: that race is lost, not broken.
    const lostRaces: unknown[] = [];
    const record = (error: unknown) => (error instanceof IllegalStateError ? lostRaces.push(error) : failures.push(error));
    const consume = (batch: (typeof batches)[number]) => applyLikeTheConsumer(batch, record);
    // ... while clerks ship every packed reservation, each in its own transaction.
    const ship = (request: Request) => {
      const command = { type: "ShipReservation", reservationId: request.payload.reservationId, carrier: "SF", trackingNumber: "SF1" } as const;
      return withTransaction(pool, (tx) => advanceReservation(tx, outbox, command, { actor: clerk }, testDeadlines)).catch(record);
    };
    await Promise.all([...batches.map(consume), ...requests.map(ship)]);

    // A deadlock would surface as db.concurrent-update; nothing but lost races fails.
    expect(failures).toEqual([]);
    expect(lostRaces.length).toBeGreaterThan(0);
    const { rows } = await pool.query<{ status: string; count: number }>(
      "SELECT status, count(*)::int AS count FROM reservations WHERE reservation_id = ANY($1) GROUP BY status",
      [requests.map((r) => r.payload.reservationId)],
    );
    expect(rows.every((r) => r.status === "shipped" || r.status === "released")).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(requests.length);
    expect(await stockLedger.discrepancies(pool, storeId)).toEqual([]);
  });

  it("route a whole batch on free stock and daily counts kept exact as it goes, and ignore a request repeated in it", async () => {
    const [first, second] = [testStore(), testStore()].sort() as [string, string];
    const [x, y] = [`X-${first}`, `Y-${first}`];
    await pool.query(
      `INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Huangpu}', 3), ($2, 2, '{Huangpu}', 10)`,
      [first, second],
    );
    await putOnRecord(pool, [
      { storeId: first, sku: x, location: "A-1", onHand: 10, safetyStock: 0 },
      { storeId: first, sku: y, location: "A-2", onHand: 1, safetyStock: 0 },
      { storeId: second, sku: x, location: "B-1", onHand: 10, safetyStock: 0 },
      { storeId: second, sku: y, location: "B-2", onHand: 5, safetyStock: 0 },
    ]);
    const routed = (sku: string) => {
      const request = reservationRequested(first, [{ sku, quantity: 1 }]);
      return { ...request, payload: { ...request.payload, route: true, district: "Huangpu" } };
    };
    const requests = [routed(x), routed(y), routed(y), routed(x), routed(x)];
    await withTransaction(pool, (tx) => handleBatch!(asBatchItems([...requests, requests[0]!]), { tx, logger }));

    const { rows } = await pool.query<{ reservation_id: string; store_id: string }>("SELECT reservation_id, store_id FROM reservations WHERE reservation_id = ANY($1)", [
      requests.map((r) => r.payload.reservationId),
    ]);
    const storeOf = new Map(rows.map((r) => [r.reservation_id, r.store_id]));
    // The preferred store's only Y goes to the first request for it; its capacity of 3 is used up by the fourth request.
    expect(requests.map((r) => storeOf.get(r.payload.reservationId))).toEqual([first, first, second, first, second]);
    const counts = await pool.query<{ store_id: string; routed: number }>("SELECT store_id, routed FROM store_routed_per_day WHERE store_id = ANY($1) ORDER BY store_id", [[first, second]]);
    expect(counts.rows).toEqual([
      { store_id: first, routed: 3 },
      { store_id: second, routed: 2 },
    ]);
    const reserved = await pool.query<{ count: number }>("SELECT count(*)::int AS count FROM outbox WHERE event_type = 'oms.events.v1.StockReserved' AND message_key = ANY($1)", [
      requests.map((r) => r.orderId),
    ]);
    expect(reserved.rows[0]!.count).toBe(5);
    expect(await stockLedger.discrepancies(pool, first)).toEqual([]);
    expect(await stockLedger.discrepancies(pool, second)).toEqual([]);
  });

  it("route on free stock less what the batch booked before routing first needed the figures", async () => {
    const [first, second] = [testStore(), testStore()].sort() as [string, string];
    const sku = `W-${first}`;
    await pool.query(`INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Xuhui}', 100), ($2, 2, '{Xuhui}', 100)`, [first, second]);
    await putOnRecord(pool, [
      { storeId: first, sku, location: "A-1", onHand: 2, safetyStock: 0 },
      { storeId: second, sku, location: "B-1", onHand: 5, safetyStock: 0 },
    ]);
    // A pick-up at the preferred store takes its last two units; the ship order after it in the batch is routed.
    const pickup = reservationRequested(first, [{ sku, quantity: 2 }]);
    const request = reservationRequested(first, [{ sku, quantity: 1 }]);
    const routed = { ...request, payload: { ...request.payload, route: true, district: "Xuhui" } };
    await withTransaction(pool, (tx) => handleBatch!(asBatchItems([pickup, routed]), { tx, logger }));

    const { rows } = await pool.query("SELECT reservation_id, store_id FROM reservations WHERE reservation_id = ANY($1) ORDER BY store_id", [
      [pickup.payload.reservationId, routed.payload.reservationId],
    ]);
    expect(rows).toEqual([
      { reservation_id: pickup.payload.reservationId, store_id: first },
      { reservation_id: routed.payload.reservationId, store_id: second },
    ]);
    const shortages = await pool.query("SELECT 1 FROM outbox WHERE event_type = 'oms.events.v1.StockShortage' AND message_key = $1", [routed.orderId]);
    expect(shortages.rows).toEqual([]);
  });

  it("let a batch of reservations lock only the rows it books: another store's row held elsewhere does not hold it up", async () => {
    const [first, second] = [testStore(), testStore()].sort() as [string, string];
    const sku = `Z-${first}`;
    await pool.query(`INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Jing''an}', 100), ($2, 2, '{Jing''an}', 100)`, [first, second]);
    await putOnRecord(pool, [
      { storeId: first, sku, location: "A-1", onHand: 10, safetyStock: 0 },
      { storeId: second, sku, location: "B-1", onHand: 10, safetyStock: 0 },
    ]);
    const request = reservationRequested(first, [{ sku, quantity: 2 }]);
    const routed = { ...request, payload: { ...request.payload, route: true, district: "Jing'an" } };
    // A clerk's transaction at the second store holds its row for as long as this test wants.
    const holder = await pool.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM stock WHERE store_id = $1 AND sku = $2 FOR UPDATE", [second, sku]);
    try {
      const applied = withTransaction(pool, (tx) => handleBatch!(asBatchItems([routed]), { tx, logger }));
      const waited = await Promise.race([applied.then(() => "applied"), new Promise((resolve) => setTimeout(() => resolve("held up"), 3_000))]);
      expect(waited).toBe("applied");
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
    const { rows } = await pool.query("SELECT store_id, reserved FROM stock WHERE sku = $1 ORDER BY store_id", [sku]);
    expect(rows).toEqual([
      { store_id: first, reserved: 2 },
      { store_id: second, reserved: 0 },
    ]);
  });

  it("lock, for a batch of shipments, every location of each store and SKU its reservations hold, and no other row", async () => {
    const storeId = testStore();
    const [shipped, other] = [`S-${storeId}`, `O-${storeId}`];
    await putOnRecord(pool, [
      { storeId, sku: shipped, location: "A-1", onHand: 10, safetyStock: 0 },
      { storeId, sku: shipped, location: "A-2", onHand: 10, safetyStock: 0 },
      { storeId, sku: other, location: "A-1", onHand: 10, safetyStock: 0 },
    ]);
    const request = reservationRequested(storeId, [{ sku: shipped, quantity: 2 }]);
    await withTransaction(pool, (tx) => handleBatch!(asBatchItems([request]), { tx, logger }));
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await stockRepository.lockForReservations(holder, [request.payload.reservationId, "no-such-reservation"]);
      const tryLock = (sku: string) =>
        pool.query("SELECT location FROM stock WHERE store_id = $1 AND sku = $2 ORDER BY location FOR UPDATE NOWAIT", [storeId, sku]).then(
          (r) => r.rows.map((row) => row.location),
          (error: { code?: string }) => error.code,
        );
      expect(await tryLock(shipped)).toBe("55P03"); // lock_not_available: both locations are held
      expect(await tryLock(other)).toEqual(["A-1"]);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });

  it("record a reservation's step and its new state in one round trip", async () => {
    const storeId = testStore();
    const sku = `P-${storeId}`;
    await putOnRecord(pool, [{ storeId, sku, location: "A-1", onHand: 10, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 1 }]);
    const { reservationId } = request.payload;
    await withTransaction(pool, (tx) => handleBatch!(asBatchItems([request]), { tx, logger }));
    const cause = { actor: clerk, correlationId: "one-round-trip" };
    await withTransaction(pool, (tx) => advanceReservation(tx, outbox, { type: "RequestShipment", reservationId, fulfillmentMethod: "ship" }, cause, testDeadlines));
    const picked = await withTransaction(pool, async (tx) => {
      const steps = newStepWrites();
      const current = (await reservationRepository.findMany(tx, [reservationId], { lock: true })).get(reservationId)!;
      const next = await takeSteps(tx, current, decideShipment({ type: "PickReservation", reservationId }, current), cause, steps);
      const before = statementsSentByThisProcess();
      await reservationRepository.advanceMany(tx, steps.written);
      expect(statementsSentByThisProcess() - before).toBe(1);
      return next;
    });
    expect(picked.status).toBe("picked");
    const { rows } = await pool.query("SELECT status FROM reservation_steps WHERE reservation_id = $1 ORDER BY step_id", [reservationId]);
    expect(rows.map((r) => r.status).slice(-1)).toEqual(["picked"]);
    expect((await pool.query("SELECT status FROM reservations WHERE reservation_id = $1", [reservationId])).rows).toEqual([{ status: "picked" }]);
  });

  it("make a batch that locked late and finds a booked row moved meanwhile fail as a lost race, having written nothing", async () => {
    const storeId = testStore();
    await putOnRecord(pool, [{ storeId, sku: "M", location: "L1", onHand: 3, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku: "M", quantity: 2 }]);
    const attempt = withTransaction(pool, async (tx) => {
      const batch = new ReservationBatch([request], { lockLate: true });
      batch.holdStock(await stockRepository.readAll(tx, [{ storeId, sku: "M" }]), [{ storeId, sku: "M" }]);
      await reserveStock(tx, outbox, request, logger, batch);
      // Meanwhile a count finds one unit only.
      await pool.query("UPDATE stock SET on_hand = 1 WHERE store_id = $1 AND sku = 'M'", [storeId]);
      await batch.flush(tx);
    });
    const failure = await attempt.catch((error: unknown) => error);
    expect(isStockMovedWhileDeciding(failure)).toBe(true);
    const { rows } = await pool.query("SELECT on_hand, reserved FROM stock WHERE store_id = $1", [storeId]);
    expect(rows).toEqual([{ on_hand: 1, reserved: 0 }]);
    expect((await pool.query("SELECT 1 FROM reservations WHERE reservation_id = $1", [request.payload.reservationId])).rows).toEqual([]);
  });
});
