import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeEvent, Topics, type OrderEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, readTopic, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../../test-fixtures.ts";
import { catalogueExamples } from "./openapi-catalogue.ts";

// Intake alone (fulfillment down: orders are taken and handed over later), its catalogue kept
// a minute in memory, so only the writing replica's own reload can make a change hold at once.
// ADR 028's addendum: a store's own price for an item of the chain's list.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const headOffice = callerHeaders("staff:sm-head:store-manager");
const auditor = callerHeaders("staff:au-1:auditor");
const customer = callerHeaders("customer:c-42");

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(
    createIntakeService({ callerTrust: testCallerTrust, cacheMaxAgeMs: 60_000 }),
    testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)),
  );
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

const db = () => intake.runtime.pool;
const ifMatch = (version: number) => ({ "if-match": `"${version}"` });
// The chain lists the kettle at 199.00 (the demo chain).
const chainKettle = 19_900;

/** A store of its own for each test, shipping free and untaxed: an order's total is its lines'. */
async function newStore(): Promise<string> {
  const storeId = `store-hz-${randomUUID().slice(0, 8)}`;
  const opened = await api.put(`/v1/stores/${storeId}/profile`, { ...structuredClone(catalogueExamples.profile), freeShippingFromMinor: 0 }, headOffice);
  expect(opened.status).toBe(201);
  return storeId;
}

/** A goods order at the store, shipped to Xihu, of one line at the price given. */
async function orderAt(storeId: string, sku: string, unitPriceMinor: number, quantity = 2) {
  const base = await demoOrder({ storeId });
  const customerOf = base.customer as { address: Record<string, unknown> };
  return api.post(
    "/v1/orders",
    {
      ...base,
      customer: { ...customerOf, address: { ...customerOf.address, city: "Hangzhou", district: "Xihu" } },
      lines: [{ sku, quantity, unitPriceMinor }],
      totals: { ...(base.totals as object), grandTotalMinor: quantity * unitPriceMinor },
    },
    customer,
  );
}

async function eventsOf(key: string, count: number): Promise<OrderEvent[]> {
  return eventually(async () => {
    const found = (await readTopic(Topics.intakeCatalogue, namespace.name)).filter((m) => m.key?.toString() === key).map((m) => decodeEvent(m.value!)!);
    return found.length >= count ? found : undefined;
  });
}

const rowsOf = async (storeId: string) => (await db().query("SELECT sku, unit_price_minor, version, removed_reason FROM store_prices WHERE store_id = $1", [storeId])).rows;
const trailOf = async (storeId: string) =>
  (await db().query("SELECT version, actor_id, previous, current FROM catalogue_changes WHERE subject_kind = 'store-price' AND subject_id LIKE $1 ORDER BY change_id", [`${storeId}/%`])).rows;

describe("a store's own price", () => {
  it("prices new orders at that store at its own price, other stores at the chain's; orders taken keep theirs; published keyed by store and item", async () => {
    const [dearer, other] = [await newStore(), await newStore()];
    const set = await api.put(`/v1/stores/${dearer}/prices/KETTLE-1L7`, { unitPriceMinor: 23_900 }, headOffice);
    expect(set, JSON.stringify(set.body)).toMatchObject({ status: 201, body: { storeId: dearer, sku: "KETTLE-1L7", unitPriceMinor: 23_900, currency: "CNY", version: 1, updatedBy: "staff:sm-head" } });
    expect(set.headers.get("etag")).toBe('"1"');

    const taken = await orderAt(dearer, "KETTLE-1L7", 23_900);
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect((await orderAt(dearer, "KETTLE-1L7", chainKettle)).body.errors).toEqual([{ field: "lines[0].unitPriceMinor", message: "must be 23900, this store's price" }]);
    expect((await orderAt(other, "KETTLE-1L7", chainKettle)).status).toBe(201);
    expect((await orderAt(other, "KETTLE-1L7", 23_900)).body.errors).toEqual([{ field: "lines[0].unitPriceMinor", message: `must be ${chainKettle}, the listed price` }]);

    const [published] = await eventsOf(`${dearer}/KETTLE-1L7`, 1);
    expect(published).toMatchObject({
      type: "oms.events.v1.StorePricePublished",
      orderId: "",
      storeId: dearer,
      correlationId: set.headers.get("x-request-id"),
      actor: { kind: "staff", id: "sm-head", role: "store-manager" },
      payload: { version: 1, storeId: dearer, sku: "KETTLE-1L7", unitPrice: { minor: 23_900, currency: "CNY" } },
    });

    // Lowered for a clearance: new orders take the new price, the order taken keeps its own.
    expect(await api.put(`/v1/stores/${dearer}/prices/KETTLE-1L7`, { unitPriceMinor: 15_900 }, { ...headOffice, ...ifMatch(1) })).toMatchObject({ status: 200, body: { version: 2 } });
    expect((await orderAt(dearer, "KETTLE-1L7", 15_900)).status).toBe(201);
    const kept = await db().query("SELECT grand_total_minor, canonical -> 'lines' -> 0 ->> 'unitPriceMinor' AS unit FROM orders WHERE order_id = $1", [taken.body.orderId]);
    expect(kept.rows).toEqual([{ grand_total_minor: 47_800, unit: "23900" }]);
  });

  it("is set by that store's manager or head office: a manager of another store, an order taker and a customer change nothing", async () => {
    const storeId = await newStore();
    const price = { unitPriceMinor: 21_000 };
    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, price, callerHeaders("staff:sm-pd:store-manager@store-sh-pudong"))).toMatchObject({
      status: 403,
      body: { code: "caller.out-of-store-scope" },
    });
    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, price, callerHeaders(`staff:ot-1:order-taker@${storeId}`))).toMatchObject({
      status: 403,
      body: { code: "caller.not-permitted" },
    });
    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, price, customer)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await rowsOf(storeId)).toEqual([]);
    expect(await trailOf(storeId)).toEqual([]);

    const own = callerHeaders(`staff:sm-own:store-manager@${storeId}`);
    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, price, own)).toMatchObject({ status: 201, body: { updatedBy: "staff:sm-own" } });
    expect((await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, { reason: "x" }, callerHeaders("staff:sm-pd:store-manager@store-sh-pudong"))).status).toBe(403);
    expect((await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, { reason: "x" }, callerHeaders(`staff:ot-1:order-taker@${storeId}`))).status).toBe(403);
    expect(await rowsOf(storeId)).toEqual([{ sku: "KETTLE-1L7", unit_price_minor: 21_000, version: 1, removed_reason: null }]);
  });

  it("refuses a stale If-Match with 412 and writes nothing; the same price again changes nothing", async () => {
    const storeId = await newStore();
    expect((await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 20_000 }, headOffice)).status).toBe(201);
    expect((await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 20_500 }, { ...headOffice, ...ifMatch(1) })).status).toBe(200);
    const stale = await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 1 }, { ...headOffice, ...ifMatch(1) });
    expect(stale).toMatchObject({ status: 412, body: { code: "catalogue.version-stale" } });
    expect((await api.put(`/v1/stores/${storeId}/prices/TOWEL-SET-4`, { unitPriceMinor: 1 }, { ...headOffice, ...ifMatch(3) })).status).toBe(412);
    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 20_500 }, headOffice)).toMatchObject({ status: 200, body: { version: 2 } });
    expect((await trailOf(storeId)).map((c) => c.version)).toEqual([1, 2]);
    await eventsOf(`${storeId}/KETTLE-1L7`, 2);
    expect(await eventsOf(`${storeId}/KETTLE-1L7`, 2)).toHaveLength(2);
  });

  it("is removed back to the chain's price, published and kept in the trail; removing again answers as it stands; set again, it is charged again", async () => {
    const storeId = await newStore();
    expect((await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 17_900 }, headOffice)).status).toBe(201);
    expect(await api.post(`/v1/stores/${storeId}/prices/TOWEL-SET-4/removal`, { reason: "never priced" }, headOffice)).toMatchObject({ status: 404, body: { code: "store-price.not-found" } });
    expect(await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, {}, headOffice)).toMatchObject({ status: 400, body: { errors: [{ field: "reason" }] } });
    expect((await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, { reason: "late" }, { ...headOffice, ...ifMatch(7) })).status).toBe(412);

    const removed = await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, { reason: "clearance over" }, { ...headOffice, ...ifMatch(1) });
    expect(removed).toMatchObject({ status: 200, body: { version: 2, unitPriceMinor: 17_900, removed: { reason: "clearance over" } } });
    expect(await api.post(`/v1/stores/${storeId}/prices/KETTLE-1L7/removal`, { reason: "again" }, headOffice)).toMatchObject({ status: 200, body: { version: 2, removed: { reason: "clearance over" } } });
    expect((await orderAt(storeId, "KETTLE-1L7", chainKettle)).status).toBe(201);
    expect((await api.get(`/v1/stores/${storeId}/prices`)).body).toEqual({ storeId, prices: [] });
    const [, out] = await eventsOf(`${storeId}/KETTLE-1L7`, 2);
    expect(out).toMatchObject({ type: "oms.events.v1.StorePriceRemoved", storeId, payload: { version: 2, storeId, sku: "KETTLE-1L7", reason: "clearance over" } });

    expect(await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 17_900 }, headOffice)).toMatchObject({ status: 200, body: { version: 3 } });
    expect((await orderAt(storeId, "KETTLE-1L7", 17_900)).status).toBe(201);
    expect(await trailOf(storeId)).toMatchObject([
      { version: 1, previous: null, current: { storeId, sku: "KETTLE-1L7", unitPriceMinor: 17_900 } },
      { version: 2, previous: { unitPriceMinor: 17_900 }, current: { removed: { reason: "clearance over" } } },
      { version: 3, previous: { removed: { reason: "clearance over" } }, current: { unitPriceMinor: 17_900 } },
    ]);
  });

  it("refuses an unknown store, an item the chain does not list or has withdrawn, and a price that is not a positive whole amount, naming the field", async () => {
    const storeId = await newStore();
    const ghost = `store-none-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/stores/${ghost}/prices/KETTLE-1L7`, { unitPriceMinor: 100 }, headOffice)).body.errors).toEqual([{ field: "storeId", message: "is not a store of this chain" }]);
    const unlisted = await api.put(`/v1/stores/${storeId}/prices/NOPE-${randomUUID().slice(0, 6)}`, { unitPriceMinor: 0 }, headOffice);
    expect(unlisted.status).toBe(400);
    expect(unlisted.body.errors.map((e: { field: string }) => e.field)).toEqual(["sku", "unitPriceMinor"]);
    for (const unitPriceMinor of [-5, 12.5, "120"]) {
      const refused = await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor }, headOffice);
      expect(refused, String(unitPriceMinor)).toMatchObject({ status: 400, body: { errors: [{ field: "unitPriceMinor" }] } });
    }

    const sku = `VASE-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/price-list/${sku}`, { description: "Vase", kind: "goods", unitPriceMinor: 5_000 }, headOffice)).status).toBe(201);
    expect((await api.put(`/v1/stores/${storeId}/prices/${sku}`, { unitPriceMinor: 4_000 }, headOffice)).status).toBe(201);
    expect((await api.post(`/v1/price-list/${sku}/withdrawal`, { reason: "recalled" }, headOffice)).status).toBe(200);
    // Withdrawn by the chain: unorderable whatever the store charges, and no store may price it anew.
    expect((await orderAt(storeId, sku, 4_000)).body.errors).toEqual([{ field: "lines[0].sku", message: "is no longer on sale (withdrawn: recalled)" }]);
    expect((await api.put(`/v1/stores/${storeId}/prices/${sku}`, { unitPriceMinor: 3_000 }, headOffice)).body.errors).toEqual([
      { field: "sku", message: "is withdrawn from sale (recalled): no store may offer it until the chain puts it back" },
    ]);
    expect(await rowsOf(storeId)).toEqual([{ sku, unit_price_minor: 4_000, version: 1, removed_reason: null }]);
    expect((await db().query("SELECT 1 FROM store_prices WHERE store_id = $1", [ghost])).rowCount).toBe(0);
  });
});

describe("reading a store's prices", () => {
  it("lets anyone read what a store charges, staff of another store too, and the price list as the store charges it", async () => {
    const storeId = await newStore();
    expect((await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 22_900 }, headOffice)).status).toBe(201);
    const listed = { storeId, sku: "KETTLE-1L7", unitPriceMinor: 22_900, chainUnitPriceMinor: chainKettle, currency: "CNY", version: 1 };
    expect(await api.get(`/v1/stores/${storeId}/prices`)).toMatchObject({ status: 200, body: { storeId, prices: [listed] } });
    // What is charged is public; which member of staff set it is the trail's (auditors, store managers).
    expect((await api.get(`/v1/stores/${storeId}/prices`)).body.prices[0]).not.toHaveProperty("updatedBy");
    expect(await api.get(`/v1/stores/${storeId}/prices`, callerHeaders("staff:ot-pd:order-taker@store-sh-pudong"))).toMatchObject({ status: 200, body: { prices: [listed] } });
    expect((await api.get(`/v1/stores/store-none-${randomUUID().slice(0, 8)}/prices`)).status).toBe(404);

    const atStore = await api.get(`/v1/price-list?storeId=${storeId}`, callerHeaders("staff:ot-pd:order-taker@store-sh-pudong"));
    expect(atStore.status).toBe(200);
    const items = atStore.body.items as { sku: string; unitPriceMinor: number; chainUnitPriceMinor?: number }[];
    expect(items.find((i) => i.sku === "KETTLE-1L7")).toMatchObject({ unitPriceMinor: 22_900, chainUnitPriceMinor: chainKettle });
    expect(items.find((i) => i.sku === "TOWEL-SET-4")).not.toHaveProperty("chainUnitPriceMinor");
    expect((await api.get("/v1/price-list")).body.items.find((i: { sku: string }) => i.sku === "KETTLE-1L7")).toMatchObject({ unitPriceMinor: chainKettle });
  });

  it("shows the price's changes in the store's trail and in the item's", async () => {
    const storeId = await newStore();
    expect((await api.put(`/v1/stores/${storeId}/prices/KETTLE-1L7`, { unitPriceMinor: 18_900 }, headOffice)).status).toBe(201);
    const change = { subjectKind: "store-price", subjectId: `${storeId}/KETTLE-1L7`, version: 1, changedBy: { id: "sm-head" }, current: { unitPriceMinor: 18_900 } };
    const ofStore = await api.get(`/v1/catalogue-changes?storeId=${storeId}`, callerHeaders(`staff:au-2:auditor@${storeId}`));
    expect(ofStore.body.changes.map((c: { subjectKind: string }) => c.subjectKind)).toEqual(["store-price", "store"]);
    expect(ofStore.body.changes[0]).toMatchObject(change);
    const ofItem = await api.get("/v1/catalogue-changes?sku=KETTLE-1L7&limit=500", auditor);
    expect(ofItem.body.changes.find((c: { subjectId: string }) => c.subjectId === `${storeId}/KETTLE-1L7`)).toMatchObject(change);
  });
});
