import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, deadLetterTopicOf, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic, storePublished } from "@oms/testing";
import { routingRepository } from "./adapters/pg/routing-repository.ts";
import { seedDemoStock } from "./app/commands/seed-demo-stock.ts";
import { locateDistrict } from "./domain/geography.ts";
import { answersFor, clerk, putOnRecord, reservationRequested, startTestWarehouse, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/** Stores opened, changed and closed through their published profiles (ADR 028), heard on the catalogue topic. */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;

interface RoutingRow {
  priority: number;
  lat: number | null;
  lon: number | null;
  service_areas: string[];
  daily_capacity: number;
  accepting_orders: boolean;
  profile_version: number;
}

async function routingOf(storeId: string): Promise<RoutingRow | undefined> {
  const { rows } = await pool().query<RoutingRow>(
    "SELECT priority, lat, lon, service_areas, daily_capacity, accepting_orders, profile_version FROM store_routing WHERE store_id = $1",
    [storeId],
  );
  return rows[0];
}

/** Waits until the store's routing holds the given profile version. */
const untilVersion = (storeId: string, version: number) =>
  eventually(async () => {
    const row = await routingOf(storeId);
    return row && Number(row.profile_version) === version ? row : undefined;
  });

async function districtOf(district: string) {
  const { rows } = await pool().query<{ lat: number; lon: number; published_by: string | null }>("SELECT lat, lon, published_by FROM district_locations WHERE district = $1", [district]);
  return rows[0];
}

/**
 * Published together on one partition (the test's events share the empty order key), so a
 * sentinel published last is applied after everything before it: once it is, what came
 * before it has been heard too, and what did not change never will.
 */
async function publishThenSentinel(events: OrderEvent[]): Promise<void> {
  const sentinel = testStore();
  await publishEvents(under.namespace.name, Topics.intakeCatalogue, [...events, storePublished(sentinel, 1)]);
  await untilVersion(sentinel, 1);
}

/** A routed order to the district, taken at some other store: where does the warehouse send it? */
async function routeTo(district: string, sku: string, quantity = 1) {
  const request = reservationRequested(testStore(), [{ sku, quantity }]);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [{ ...request, payload: { ...request.payload, route: true, district } }]);
  const [answer] = await answersFor(under.namespace.name, [request.payload.reservationId]);
  return answer!;
}

describe("stores' published profiles", () => {
  it("keeps a new store's routing rules and districts, books its receipts and counts, and routes orders to it", async () => {
    const [storeId, sku, district] = [testStore(), testSku(), `District-${randomUUID().slice(0, 8)}`];
    await publishEvents(under.namespace.name, Topics.intakeCatalogue, [
      storePublished(storeId, 1, {
        serviceAreas: [district],
        routingPriority: 3,
        location: { lat: 31.1, lon: 121.3 },
        dailyCapacity: 25,
        districtLocations: [{ district, location: { lat: 31.11, lon: 121.31 } }],
      }),
    ]);

    expect(await untilVersion(storeId, 1)).toEqual({
      priority: 3,
      lat: 31.1,
      lon: 121.3,
      service_areas: [district],
      daily_capacity: 25,
      accepting_orders: true,
      profile_version: 1,
    });
    expect(await districtOf(district)).toEqual({ lat: 31.11, lon: 121.31, published_by: storeId });

    // Its stock needs no other record of the store: a receipt and a count book against it.
    await under.commands.receiveStock({ storeId, receiptId: "DN-OPEN/1", sku, location: "A-01", quantity: 5, caller: clerk });
    expect(await under.commands.countStock({ storeId, sku, location: "A-01", counted: 4, reason: "opening count", caller: clerk })).toMatchObject({ onHand: 4 });

    const answer = await routeTo(district, sku, 2);
    expect(answer).toMatchObject({ type: EventTypes.StockReserved, storeId });
  });

  it("applies a version only when newer: an older one and one heard again change nothing, and the price list's and the stores' own prices' events are passed over", async () => {
    const [storeId, district] = [testStore(), `District-${randomUUID().slice(0, 8)}`];
    const second = storePublished(storeId, 2, { serviceAreas: [district], dailyCapacity: 70, districtLocations: [{ district, location: { lat: 30, lon: 120 } }] });
    const item = newEvent(
      EventTypes.PriceListItemPublished,
      { version: 1, sku: testSku(), description: "Teapot", kind: "goods", unitPriceMinor: 9_900, handling: [], skills: [], currency: "CNY" },
      { producer: "intake", orderId: "", storeId: "", actor: clerk },
    );
    // A store's own price and its removal (ADR 028, addendum) are the pre-check's, not this consumer's.
    const storePrices = [
      newEvent(EventTypes.StorePricePublished, { version: 1, storeId, sku: item.payload.sku, unitPrice: { minor: 12_900, currency: "CNY" } }, { producer: "intake", orderId: "", storeId, actor: clerk }),
      newEvent(EventTypes.StorePriceRemoved, { version: 2, storeId, sku: item.payload.sku, reason: "clearance over" }, { producer: "intake", orderId: "", storeId, actor: clerk }),
    ];
    // Heard together, the newer of a store's publications wins whatever their order.
    await publishThenSentinel([second, storePublished(storeId, 1, { dailyCapacity: 10 }), item, ...storePrices]);
    expect(await routingOf(storeId)).toMatchObject({ daily_capacity: 70, profile_version: 2 });
    const updatedAt = async () => (await pool().query("SELECT updated_at FROM store_routing WHERE store_id = $1", [storeId])).rows[0]?.updated_at;
    const applied = await updatedAt();
    // Heard later, each alone: a replay of the first version, with what it said then, and the second heard again.
    await publishThenSentinel([storePublished(storeId, 1, { dailyCapacity: 10, acceptingOrders: false, districtLocations: [{ district, location: { lat: 10, lon: 10 } }] })]);
    await publishThenSentinel([second]);

    expect(await routingOf(storeId)).toMatchObject({ daily_capacity: 70, accepting_orders: true, service_areas: [district], profile_version: 2 });
    expect(await updatedAt()).toEqual(applied);
    expect(await districtOf(district)).toEqual({ lat: 30, lon: 120, published_by: storeId });
    // Nothing on the catalogue topic was a poison to the warehouse: the price list's event was not its business.
    const letters = await readTopic(deadLetterTopicOf(Topics.intakeCatalogue), under.namespace.name);
    expect(letters.filter((l) => String(l.headers?.["x-dlq-consumer"] ?? "") === "warehouse-catalogue")).toEqual([]);
  });

  it("routes no order to a store that stopped taking orders, and still serves an order placed there directly", async () => {
    const [preferred, other, sku, district] = [testStore(), testStore(), testSku(), `District-${randomUUID().slice(0, 8)}`];
    await publishThenSentinel([
      storePublished(preferred, 1, { serviceAreas: [district], routingPriority: 1 }),
      storePublished(other, 1, { serviceAreas: [district], routingPriority: 2 }),
    ]);
    await putOnRecord(pool(), [
      { storeId: preferred, sku, location: "A-01", onHand: 10, safetyStock: 0 },
      { storeId: other, sku, location: "A-01", onHand: 10, safetyStock: 0 },
    ]);
    expect(await routeTo(district, sku)).toMatchObject({ type: EventTypes.StockReserved, storeId: preferred });

    await publishEvents(under.namespace.name, Topics.intakeCatalogue, [storePublished(preferred, 2, { serviceAreas: [district], routingPriority: 1, acceptingOrders: false })]);
    expect(await untilVersion(preferred, 2)).toMatchObject({ accepting_orders: false });

    const routed = await routeTo(district, sku);
    expect(routed).toMatchObject({ type: EventTypes.StockReserved, storeId: other });
    expect((routed.payload as { routing: string[] }).routing).toContain(`${preferred}: not taking orders`);

    // An order the store took before it stopped (not routed: its own store serves it) is still served.
    const direct = reservationRequested(preferred, [{ sku, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [direct]);
    expect((await answersFor(under.namespace.name, [direct.payload.reservationId]))[0]).toMatchObject({ type: EventTypes.StockReserved, storeId: preferred });

    // Taking orders again, it is the preferred store once more.
    await publishEvents(under.namespace.name, Topics.intakeCatalogue, [storePublished(preferred, 3, { serviceAreas: [district], routingPriority: 1 })]);
    await untilVersion(preferred, 3);
    expect(await routeTo(district, sku)).toMatchObject({ type: EventTypes.StockReserved, storeId: preferred });
  });

  it("is not undone by the demo seed: a store or district a publication set keeps it, the others are seeded", async () => {
    await publishThenSentinel([
      storePublished("store-sh-pudong", 1, {
        serviceAreas: ["Pudong"],
        routingPriority: 5,
        dailyCapacity: 12,
        acceptingOrders: false,
        districtLocations: [{ district: "Minhang", location: { lat: 31.5, lon: 121.5 } }],
      }),
    ]);
    await seedDemoStock(pool(), under.warehouse.runtime.logger);
    await seedDemoStock(pool(), under.warehouse.runtime.logger);

    expect(await routingOf("store-sh-pudong")).toMatchObject({ priority: 5, daily_capacity: 12, accepting_orders: false, service_areas: ["Pudong"], profile_version: 1 });
    expect(await districtOf("Minhang")).toEqual({ lat: 31.5, lon: 121.5, published_by: "store-sh-pudong" });
    // Never published: the seed writes them as the chain file says.
    expect(await routingOf("store-sh-jingan")).toMatchObject({ priority: 1, daily_capacity: 2000, accepting_orders: true, profile_version: 0 });
    expect(await districtOf("Pudong")).toEqual({ lat: 31.2215, lon: 121.544, published_by: null });
  });

  it("moves a district however the publication spells it: routing finds it where the later publication put it, the seed's spelling too", async () => {
    const [first, second] = [testStore(), testStore()];
    const locatedAt = async () => {
      const client = await pool().connect();
      try {
        return locateDistrict("Changning", (await routingRepository.rules(client)).districtLocations);
      } finally {
        client.release();
      }
    };
    // The chain file places "Changning"; a store names it its own way (the same district to intake and routing).
    await seedDemoStock(pool(), under.warehouse.runtime.logger);
    await publishThenSentinel([storePublished(first, 1, { serviceAreas: ["Changning"], districtLocations: [{ district: "chang-ning", location: { lat: 30.5, lon: 120.5 } }] })]);
    expect(await locatedAt()).toEqual({ lat: 30.5, lon: 120.5 });
    // Another store, later, with a third spelling: the later publication wins, whichever spelling sorts first.
    await publishThenSentinel([storePublished(second, 1, { serviceAreas: ["changning"], districtLocations: [{ district: "changning", location: { lat: 30.6, lon: 120.6 } }] })]);
    expect(await locatedAt()).toEqual({ lat: 30.6, lon: 120.6 });
    // Nor does the seed take it back.
    await seedDemoStock(pool(), under.warehouse.runtime.logger);
    expect(await locatedAt()).toEqual({ lat: 30.6, lon: 120.6 });
  });
});
