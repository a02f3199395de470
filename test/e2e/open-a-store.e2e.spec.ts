import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { publicApi, walkShippedOrderToClosed, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A chain opens a store through the API (ADR 028), through the seven services as separate
 * processes: head office publishes the new store's profile and a new item on the price list,
 * a clerk books the store's first goods, the store hires its rider; a customer's order for
 * the new item at the new store is routed there and given to its rider. Then the store stops
 * taking orders: a new order is refused, naming why, and the order it took is still picked,
 * shipped, delivered and closed.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const suffix = Date.now().toString(36);
const storeId = `store-sh-songjiang-${suffix}`;
const sku = `TEAPOT-CLAY-${suffix}`.toUpperCase();
const riderId = `staff-new-rider-${suffix}`;
// A district no demo store serves: only the new store can take the order.
const district = "Songjiang";

const headOffice = "staff:mgr-hq:store-manager";
const clerk = "staff:staff-wu-clerk:warehouse-clerk";
const customerId = "c-songjiang";
const customer = `customer:${customerId}`;
const finance = "staff:staff-qian-fin:finance";

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** The new store's whole profile as head office publishes it: it ships goods to Songjiang, free of shipping fees. */
function profile(acceptingOrders: boolean) {
  return {
    name: "Songjiang store",
    city: "Shanghai",
    timeZone: "Asia/Shanghai",
    currency: "CNY",
    acceptingOrders,
    serviceAreas: [district],
    orderKinds: ["goods"],
    fulfillmentMethods: ["ship", "pickup"],
    shippingFeeMinor: 0,
    freeShippingFromMinor: 0,
    taxRateBasisPoints: 0,
    reviewThresholdMinor: 1_000_000,
    reviewLineQuantityAbove: 10,
    partialShipments: false,
    routingPriority: 1,
    location: { lat: 31.0322, lon: 121.2277 },
    dailyCapacity: 200,
    districtLocations: [{ district, location: { lat: 31.0307, lon: 121.2233 } }],
    confirmationFollowUpHours: 24,
    confirmationEscalationHours: 36,
    confirmationCancelHours: 48,
  };
}

/** A customer's order of two teapots at the new store, prepaid, delivered in Songjiang. */
function teapotOrder(channelOrderId: string) {
  return {
    ...demoOrder,
    channelOrderId,
    storeId,
    customer: {
      customerId,
      name: "Gu Ming",
      phone: "+86 139 0000 5555",
      address: { line1: "600 Zhongshan Road", city: "Shanghai", district, postalCode: "201600", country: "CN" },
    },
    lines: [{ sku, quantity: 2, unitPriceMinor: 16_800 }],
    totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 33_600, currency: "CNY" },
  };
}

/**
 * The warehouse routes by the profile once it has heard it (StorePublished, a moment after
 * the publication). The spec waits for that as head office would wait for the store's opening
 * to go through before announcing it: no API shows routing's rules, so it reads the
 * warehouse's table. An order arriving before would wait for stock there like any order
 * no store can serve yet.
 */
async function untilRoutingKnows(version: number, acceptingOrders: boolean): Promise<void> {
  const db = new pg.Pool({ connectionString: system.namespace.databaseUrl, max: 1 });
  try {
    await eventually(async () => {
      const { rows } = await db.query<{ v: number; open: boolean }>("SELECT profile_version AS v, accepting_orders AS open FROM warehouse.store_routing WHERE store_id = $1", [storeId]);
      return rows[0] && Number(rows[0].v) >= version && rows[0].open === acceptingOrders ? true : undefined;
    }, 30_000, 200);
  } finally {
    await db.end();
  }
}

describe("a chain opens a store through the API", () => {
  it("publishes it, stocks it, staffs it and prices a new item; takes an order there, refuses new ones once it stops taking them, and still serves that order to closed", async () => {
    // Head office opens the store (a new store needs a chain-wide token) and prices the new item.
    const opened = await api.call("PUT", `/v1/stores/${storeId}/profile`, headOffice, profile(true));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ storeId, version: 1, acceptingOrders: true, updatedBy: "staff:mgr-hq" });
    const priced = await api.call("PUT", `/v1/price-list/${sku}`, headOffice, { description: "Clay teapot, 600 ml", kind: "goods", unitPriceMinor: 16_800, handling: ["fragile"], skills: [] });
    expect(priced.status, JSON.stringify(priced.body)).toBe(201);
    const published = await api.call("GET", `/v1/stores/${storeId}`, customer);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ storeId, name: "Songjiang store", serviceAreas: [district], acceptingOrders: true });

    // Its first goods come in, and it hires its rider for Songjiang.
    const received = await api.call("POST", `/v1/stores/${storeId}/stock-receipts`, clerk, { receiptId: `DN-OPEN-${suffix}`, sku, location: "A-01-01", quantity: 10 });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({ storeId, sku, onHand: 10 });
    const hired = await api.call("PUT", `/v1/staff/${riderId}`, headOffice, {
      storeId,
      name: "Xu Lei",
      roles: ["rider"],
      skills: [{ skill: "delivery", level: 2 }],
      regions: [district],
      capacity: 5,
      shift: { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] },
      timezone: "Asia/Shanghai",
    });
    expect(hired.status, JSON.stringify(hired.body)).toBe(200);
    await untilRoutingKnows(1, true);

    // A customer orders the new item at the new store: routed there and given to its rider.
    const placed = await api.call("POST", "/v1/orders", customer, teapotOrder(`WEB-OPEN-${suffix}-1`));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    const assigned = await api.until(orderId, "assigned");
    // Whom it went to is read by staff: the customer is shown no rider (ADR 022, twenty-sixth-session addendum).
    expect(assigned).toMatchObject({ storeId });
    expect(assigned.assigneeStaffId).toBeUndefined();
    expect((await api.call("GET", `/v1/orders/${orderId}`, headOffice)).body).toMatchObject({ storeId, assigneeStaffId: riderId });

    // The store stops taking orders for a while: a new order is refused, naming why.
    const closing = await api.call("PUT", `/v1/stores/${storeId}/profile`, headOffice, profile(false));
    expect(closing.status, JSON.stringify(closing.body)).toBe(200);
    expect(closing.body).toMatchObject({ version: 2, acceptingOrders: false });
    const refused = await api.call("POST", "/v1/orders", customer, teapotOrder(`WEB-OPEN-${suffix}-2`));
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body).toMatchObject({ code: "order.out-of-scope", errors: [{ field: "storeId", message: "Songjiang store is not taking new orders for now" }] });
    // Routing hears it too: it would send the store no order from elsewhere.
    await untilRoutingKnows(2, false);

    // The order it took before is still served: picked, shipped, delivered by its rider, closed.
    const closed = await walkShippedOrderToClosed(api, orderId, { warehouseClerk: clerk, rider: `staff:${riderId}:rider`, customer, finance });
    const steps = closed.timeline.map((t: { what: string }) => t.what);
    for (const step of ["order.reserved", "order.shipped", "delivery.recorded", "order.settled", "order.closed"]) expect(steps).toContain(step);
    // The two teapots left the new store's stock.
    const stock = await api.call("GET", `/v1/stores/${storeId}/stock?sku=${encodeURIComponent(sku)}`, clerk);
    expect(stock.status, JSON.stringify(stock.body)).toBe(200);
    expect(stock.body.levels).toEqual([expect.objectContaining({ sku, location: "A-01-01", onHand: 8, reserved: 0 })]);
  });
});
