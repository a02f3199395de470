import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, warehouseApi, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { loadDemoChain, startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoStock } from "./app/commands/seed-demo-stock.ts";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { warehouseService } from "./service.ts";
import {
  answersFor,
  movementsOf,
  putOnRecord,
  releaseRequested,
  reservationRequested,
  testSku,
  testStore,
  waitForStableGroup,
} from "./test-fixtures.ts";

let namespace: TestNamespace;
// Two replicas in one consumer group, as in production: each owns one of the topic's two partitions.
let replicas: RunningService[] = [];
let client: ReturnType<typeof createClient<typeof warehouseApi.StockQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const config = testServiceConfig("warehouse", namespace, { OMS_SEED_DEMO: "true" });
  replicas = await Promise.all([startService(warehouseService, config), startService(warehouseService, config)]);
  client = createClient(warehouseApi.StockQueryService, "oms.warehouse.v1.StockQuery", `127.0.0.1:${replicas[0]!.grpc.port}`);
  await waitForStableGroup(namespace.name, "warehouse", 2);
});

afterAll(async () => {
  client?.close();
  await Promise.all(replicas.map((r) => r.stop()));
  await namespace?.drop();
});

const pool = () => replicas[0]!.runtime.pool;
const levelsOf = async (storeId: string, skus: string[] = []) => (await client.getStock({ storeId, skus })).levels;
const typesOf = (events: OrderEvent[]) => events.map((e) => e.type);
const flushRelays = () => Promise.all(replicas.map((r) => r.relay.flush()));

async function appliedBy(replica: RunningService): Promise<number> {
  const { values } = await replica.runtime.metrics.eventsConsumed.get();
  return values.filter((v) => v.labels.outcome === "applied").reduce((sum, v) => sum + v.value, 0);
}

describe("warehouse", () => {
  it("seeds the demo chain's stock once, however many replicas start, and never overwrites stock that moved", async () => {
    const chain = await loadDemoChain();
    const jingan = chain.stock.filter((s) => s.storeId === "store-sh-jingan");
    const levels = await levelsOf("store-sh-jingan");
    expect(levels.map((l) => [l.sku, l.location, l.onHand, l.safetyStock])).toEqual(
      jingan.map((s) => [s.sku, s.location, s.onHand, s.safetyStock]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect((await movementsOf(pool(), "store-sh-jingan")).filter((m) => m.kind === "received")).toHaveLength(jingan.length);

    const request = reservationRequested("store-sh-jingan", [{ sku: "KETTLE-1L7", quantity: 2 }]);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await answersFor(namespace.name, [request.payload.reservationId]);
    const before = { levels: await levelsOf("store-sh-jingan"), movements: await movementsOf(pool(), "store-sh-jingan") };
    await seedDemoStock(pool(), replicas[0]!.runtime.logger);
    expect(await levelsOf("store-sh-jingan")).toEqual(before.levels);
    expect(await movementsOf(pool(), "store-sh-jingan")).toEqual(before.movements);
    expect(before.levels.find((l) => l.sku === "KETTLE-1L7")).toMatchObject({ onHand: 40, reserved: 2, available: 36 });
  });

  it("reserves every line of an order, from the locations that hold it, and says so", async () => {
    const [storeId, kettle, towel] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 10, safetyStock: 2 },
      { storeId, sku: towel, location: "B-01", onHand: 3, safetyStock: 0 },
      { storeId, sku: towel, location: "B-02", onHand: 2, safetyStock: 0 },
    ]);
    const request = reservationRequested(storeId, [{ sku: kettle, quantity: 8 }, { sku: towel, quantity: 4 }]);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);

    const [answer] = await answersFor(namespace.name, [request.payload.reservationId]);
    expect(answer).toMatchObject({
      type: EventTypes.StockReserved,
      orderId: request.orderId,
      storeId,
      causationId: request.eventId,
      producer: "warehouse",
      payload: {
        reservationId: request.payload.reservationId,
        lines: [
          { sku: kettle, location: "A-01", quantity: 8 },
          { sku: towel, location: "B-01", quantity: 3 },
          { sku: towel, location: "B-02", quantity: 1 },
        ],
      },
    });
    const levels = await levelsOf(storeId);
    expect(levels.map((l) => [l.location, l.reserved, l.available])).toEqual(
      expect.arrayContaining([
        ["A-01", 8, 0],
        ["B-01", 3, 0],
        ["B-02", 1, 1],
      ]),
    );
    expect(levels).toHaveLength(3);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("reserves nothing when one line is short, and tells how many there are and when more come", async () => {
    const [storeId, kettle, vase] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 10, safetyStock: 0 },
      { storeId, sku: vase, location: "C-01", onHand: 3, safetyStock: 0 },
    ]);
    await pool().query("UPDATE stock SET expected_restock_date = '2030-01-15' WHERE store_id = $1 AND sku = $2", [storeId, vase]);
    const request = reservationRequested(storeId, [{ sku: kettle, quantity: 2 }, { sku: vase, quantity: 5 }]);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);

    const [answer] = await answersFor(namespace.name, [request.payload.reservationId]);
    expect(answer).toMatchObject({
      type: EventTypes.StockShortage,
      payload: { reservationId: request.payload.reservationId, lines: [{ sku: vase, requested: 5, available: 3, expectedRestockDate: "2030-01-15" }] },
    });
    expect((await levelsOf(storeId)).map((l) => l.reserved)).toEqual([0, 0]);
    expect((await levelsOf(storeId, [vase]))[0]?.expectedRestockDate).toBe("2030-01-15");
    expect((await movementsOf(pool(), storeId)).filter((m) => m.kind !== "received")).toEqual([]);
  });

  it("applies a redelivered or re-sent request once", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 10, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 3 }]);
    const resent = reservationRequested(storeId, [{ sku, quantity: 3 }], { orderId: request.orderId, reservationId: request.payload.reservationId });
    // Same order, so same partition: once the marker is answered, everything before it was handled.
    const marker = reservationRequested(storeId, [{ sku, quantity: 1 }], { orderId: request.orderId, reservationId: `${request.orderId}/marker` });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request, request, resent, marker]);

    await answersFor(namespace.name, [marker.payload.reservationId]);
    await flushRelays();
    const answers = await answersFor(namespace.name, [request.payload.reservationId]);
    expect(typesOf(answers)).toEqual([EventTypes.StockReserved]);
    expect((await levelsOf(storeId))[0]).toMatchObject({ onHand: 10, reserved: 4, available: 6 });
  });

  it("releases a reservation once and answers a release of an unknown one", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 5, safetyStock: 1 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 4 }]);
    const { orderId } = request;
    const { reservationId } = request.payload;
    const release = releaseRequested(storeId, orderId, reservationId);
    const unknown = releaseRequested(storeId, orderId, `${orderId}/never-reserved`);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request, release, releaseRequested(storeId, orderId, reservationId), unknown]);

    await answersFor(namespace.name, [unknown.payload.reservationId]);
    await flushRelays();
    expect(typesOf(await answersFor(namespace.name, [reservationId], 2))).toEqual([EventTypes.StockReserved, EventTypes.StockReleased]);
    expect((await levelsOf(storeId))[0]).toMatchObject({ onHand: 5, reserved: 0, available: 4 });
    expect((await movementsOf(pool(), storeId)).map((m) => [m.kind, m.quantity])).toEqual([
      ["received", 5],
      ["reserved", 4],
      ["released", 4],
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("never oversells the last units, with twenty orders racing over two replicas", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 5, safetyStock: 0 }]);
    const requests = Array.from({ length: 20 }, () => reservationRequested(storeId, [{ sku, quantity: 1 }]));
    const appliedBefore = await Promise.all(replicas.map(appliedBy));

    let watching = true;
    let lowestUnreserved = Number.POSITIVE_INFINITY;
    const watcher = (async () => {
      while (watching) {
        const { rows } = await pool().query<{ free: number }>("SELECT on_hand - reserved AS free FROM stock WHERE store_id = $1", [storeId]);
        lowestUnreserved = Math.min(lowestUnreserved, rows[0]!.free);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(requests.map((request) => publishEvents(namespace.name, Topics.fulfillmentOrder, [request])));
    const answers = await answersFor(namespace.name, requests.map((r) => r.payload.reservationId));
    watching = false;
    await watcher;

    expect(answers.filter((a) => a.type === EventTypes.StockReserved)).toHaveLength(5);
    expect(answers.filter((a) => a.type === EventTypes.StockShortage)).toHaveLength(15);
    expect(lowestUnreserved).toBeGreaterThanOrEqual(0);
    expect((await levelsOf(storeId))[0]).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    expect((await movementsOf(pool(), storeId)).filter((m) => m.kind === "reserved")).toHaveLength(5);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    // Both replicas took part: the race was real, not serialized by one consumer.
    const appliedAfter = await Promise.all(replicas.map(appliedBy));
    expect(appliedAfter.map((after, i) => after - appliedBefore[i]!).every((delta) => delta > 0)).toBe(true);
  });

  it("answers stock queries per store and SKU over gRPC, and refuses a query without a store", async () => {
    const [storeId, kettle, vase] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 7, safetyStock: 2 },
      { storeId, sku: vase, location: "C-01", onHand: 1, safetyStock: 0 },
    ]);
    expect(await levelsOf(storeId, [kettle, testSku()])).toEqual([
      { storeId, sku: kettle, location: "A-01", onHand: 7, reserved: 0, available: 5, safetyStock: 2, expectedRestockDate: "" },
    ]);
    expect(await levelsOf(storeId)).toHaveLength(2);
    await expect(client.getStock({ storeId: "", skus: [] })).rejects.toMatchObject({ kind: "validation" });
  });
});
