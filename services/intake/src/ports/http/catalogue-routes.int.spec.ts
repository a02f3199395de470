import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeEvent, Topics, type OrderEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, readEveryPage, readTopic, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../../test-fixtures.ts";
import { catalogueExamples } from "./openapi-catalogue.ts";

// Intake alone (fulfillment down: orders are taken and handed over later), its catalogue
// kept a minute in memory, so only the writing replica's own reload can make a change hold
// at once. ADR 028: open a store, take an order there, change and withdraw prices, close it.
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
const newStoreId = () => `store-hz-${randomUUID().slice(0, 8)}`;
// Shipping always free, no tax: an order's total is its lines'.
const profile = (overrides: Record<string, unknown> = {}) => ({ ...structuredClone(catalogueExamples.profile), freeShippingFromMinor: 0, ...overrides });
const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

async function catalogueEvents(): Promise<{ key: string; event: OrderEvent }[]> {
  return (await readTopic(Topics.intakeCatalogue, namespace.name)).map((m) => ({ key: m.key?.toString() ?? "", event: decodeEvent(m.value!)! }));
}

const eventsOf = async (key: string, count: number) =>
  eventually(async () => {
    const found = (await catalogueEvents()).filter((e) => e.key === key);
    return found.length >= count ? found : undefined;
  });

const changesOf = async (subjectId: string) =>
  (await db().query("SELECT subject_kind, version, actor_id, correlation_id, previous, current FROM catalogue_changes WHERE subject_id = $1 ORDER BY version", [subjectId])).rows;

/** A goods order at the store, shipped to Xihu, of these lines (price as given). */
async function orderAt(storeId: string, lines: { sku: string; quantity: number; unitPriceMinor: number }[]) {
  const base = await demoOrder({ storeId });
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
  const customerOf = base.customer as { address: Record<string, unknown> };
  return api.post(
    "/v1/orders",
    {
      ...base,
      customer: { ...customerOf, address: { ...customerOf.address, city: "Hangzhou", district: "Xihu" } },
      lines,
      totals: { ...(base.totals as object), grandTotalMinor: total },
    },
    customer,
  );
}

const kettle = { sku: "KETTLE-1L7", quantity: 1, unitPriceMinor: 19_900 };

describe("opening and changing a store through the gateway", () => {
  it("opens a store: 201 with version 1, its StorePublished keyed by store id with no order id, its trail entry; it takes orders at once", async () => {
    const storeId = newStoreId();
    const opened = await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice);
    expect(opened, JSON.stringify(opened.body)).toMatchObject({ status: 201, body: { storeId, version: 1, city: "Hangzhou", updatedBy: "staff:sm-head" } });
    expect(opened.headers.get("etag")).toBe('"1"');
    const correlationId = opened.headers.get("x-request-id");

    const [published] = await eventsOf(storeId, 1);
    expect(published!.event).toMatchObject({
      type: "oms.events.v1.StorePublished",
      orderId: "",
      storeId,
      correlationId,
      actor: { kind: "staff", id: "sm-head", role: "store-manager" },
      payload: { version: 1, store: { storeId, acceptingOrders: true, routingPriority: 3, dailyCapacity: 800, confirmationEscalationHours: 36 } },
    });
    expect(await changesOf(storeId)).toEqual([
      { subject_kind: "store", version: 1, actor_id: "sm-head", correlation_id: correlationId, previous: null, current: expect.objectContaining({ storeId, name: "West Lake store" }) },
    ]);

    expect((await orderAt(storeId, [kettle])).status).toBe(201);
    expect(await api.get(`/v1/stores/${storeId}`)).toMatchObject({ status: 200, body: { storeId, acceptingOrders: true, version: 1 } });
    expect((await api.get(`/v1/stores/${storeId}`)).body).not.toHaveProperty("reviewThresholdMinor");
    expect((await api.get("/v1/stores")).body.stores.map((s: { storeId: string }) => s.storeId)).toContain(storeId);
    expect(await api.get(`/v1/stores/${storeId}/profile`, auditor)).toMatchObject({ status: 200, body: { reviewThresholdMinor: 500_000, version: 1 } });
    expect((await api.get(`/v1/stores/${storeId}/profile`)).status).toBe(403);
  });

  it("refuses a stale If-Match with 412 and writes nothing; the same profile again changes nothing", async () => {
    const storeId = newStoreId();
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ name: "Renamed" }), { ...headOffice, ...ifMatch(1) })).status).toBe(200);

    const stale = await api.put(`/v1/stores/${storeId}/profile`, profile({ name: "Lost update" }), { ...headOffice, ...ifMatch(1) });
    expect(stale).toMatchObject({ status: 412, body: { code: "catalogue.version-stale" } });
    const same = await api.put(`/v1/stores/${storeId}/profile`, profile({ name: "Renamed" }), headOffice);
    expect(same).toMatchObject({ status: 200, body: { name: "Renamed", version: 2 } });

    expect((await changesOf(storeId)).map((c) => c.version)).toEqual([1, 2]);
    await eventsOf(storeId, 2);
    expect((await catalogueEvents()).filter((e) => e.key === storeId)).toHaveLength(2);
  });

  it("closes a store to new orders, saying why, and opens it again", async () => {
    const storeId = newStoreId();
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    expect((await orderAt(storeId, [kettle])).status).toBe(201);

    expect(await api.put(`/v1/stores/${storeId}/profile`, profile({ acceptingOrders: false }), { ...headOffice, ...ifMatch(1) })).toMatchObject({ status: 200, body: { version: 2 } });
    const refused = await orderAt(storeId, [kettle]);
    expect(refused).toMatchObject({ status: 422, body: { errors: [{ field: "storeId", message: "West Lake store is not taking new orders for now" }] } });

    expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ acceptingOrders: true }), headOffice)).status).toBe(200);
    expect((await orderAt(storeId, [kettle])).status).toBe(201);
    const [, closed] = await eventsOf(storeId, 3);
    expect(closed!.event.payload).toMatchObject({ version: 2, store: { acceptingOrders: false } });
  });

  it("serialises concurrent replacements of one store: every one is a version of its own, none lost", async () => {
    const storeId = newStoreId();
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    const answers = await Promise.all([1, 2, 3, 4].map((n) => api.put(`/v1/stores/${storeId}/profile`, profile({ name: `Name ${n}` }), headOffice)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.body.version).sort()).toEqual([2, 3, 4, 5]);
    expect((await changesOf(storeId)).map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses a bad profile naming each wrong field, and writes nothing", async () => {
    const storeId = newStoreId();
    const bad = profile({
      currency: "USD",
      timeZone: "Mars/Olympus",
      fulfillmentMethods: ["ship"],
      location: { lat: 95, lon: 120 },
      confirmationCancelHours: 30,
      districtLocations: [{ district: "Pudong", location: { lat: 31.2, lon: 121.5 } }],
    });
    const refused = await api.put(`/v1/stores/${storeId}/profile`, bad, headOffice);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "timeZone",
      "currency",
      "fulfillmentMethods",
      "location.lat",
      "districtLocations[0].district",
      "confirmationCancelHours",
    ]);
    expect((await api.put(`/v1/stores/${storeId}/profile`, { ...profile(), shippingFeeMinor: "12" }, headOffice)).body.errors).toEqual([
      { field: "shippingFeeMinor", message: expect.any(String) },
    ]);
    expect((await db().query("SELECT 1 FROM stores WHERE store_id = $1", [storeId])).rowCount).toBe(0);
    expect(await changesOf(storeId)).toEqual([]);
  });

  it("holds store-scoped managers to their stores and lets only chain-wide ones open a store; customers change nothing", async () => {
    const storeId = newStoreId();
    const elsewhere = await api.put(`/v1/stores/${storeId}/profile`, profile(), callerHeaders("staff:sm-pd:store-manager@store-sh-pudong"));
    expect(elsewhere).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    const own = await api.put(`/v1/stores/${storeId}/profile`, profile(), callerHeaders(`staff:sm-new:store-manager@${storeId}`));
    expect(own).toMatchObject({ status: 403, body: { code: "catalogue.store-creation-chain-wide" } });
    expect(await api.put(`/v1/stores/${storeId}/profile`, profile(), customer)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await api.put(`/v1/stores/${storeId}/profile`, profile(), callerHeaders("staff:s-1:supervisor"))).toMatchObject({ status: 403 });
    expect((await db().query("SELECT 1 FROM stores WHERE store_id = $1", [storeId])).rowCount).toBe(0);
    expect(await changesOf(storeId)).toEqual([]);

    // Once head office opened it, its own scoped manager changes it; another store's still cannot.
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ name: "Ours" }), callerHeaders(`staff:sm-new:store-manager@${storeId}`))).status).toBe(200);
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ name: "Theirs" }), callerHeaders("staff:sm-pd:store-manager@store-sh-pudong"))).status).toBe(403);
    expect((await changesOf(storeId)).map((c) => c.current.name)).toEqual(["West Lake store", "Ours"]);
  });

  it("lets anyone read what a store publishes, a member of staff of another store too; its internal profile stays its own staff's", async () => {
    const storeId = newStoreId();
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    const otherStore = callerHeaders("staff:ot-pd:order-taker@store-sh-pudong");
    expect(await api.get(`/v1/stores/${storeId}`, otherStore)).toMatchObject({ status: 200, body: { storeId, acceptingOrders: true } });
    expect(await api.get(`/v1/stores/${storeId}`)).toMatchObject({ status: 200, body: { storeId } });
    expect(await api.get(`/v1/stores/${storeId}/profile`, callerHeaders("staff:au-pd:auditor@store-sh-pudong"))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect((await api.get(`/v1/stores/${storeId}/profile`, callerHeaders(`staff:au-own:auditor@${storeId}`))).status).toBe(200);
  });

  it("never lets the seed undo what was administered", async () => {
    const renamed = await api.put("/v1/stores/store-sh-jingan/profile", { ...profileOfSeeded(await api.get("/v1/stores/store-sh-jingan/profile", auditor)), name: "Jing'an flagship (renovated)" }, {
      ...headOffice,
      ...ifMatch(0),
    });
    expect(renamed, JSON.stringify(renamed.body)).toMatchObject({ status: 200, body: { version: 1, name: "Jing'an flagship (renovated)" } });
    const towels = await api.put("/v1/price-list/TOWEL-SET-4", { description: "Bath towel set of 4, cotton", kind: "goods", unitPriceMinor: 13_900 }, { ...headOffice, ...ifMatch(0) });
    expect(towels).toMatchObject({ status: 200, body: { version: 1, unitPriceMinor: 13_900 } });
    await seedDemoCatalogue(db());
    expect(await api.get("/v1/stores/store-sh-jingan")).toMatchObject({ body: { name: "Jing'an flagship (renovated)", version: 1 } });
    const items = (await api.get("/v1/price-list")).body.items as { sku: string; unitPriceMinor: number; version: number }[];
    expect(items.find((i) => i.sku === "TOWEL-SET-4")).toMatchObject({ unitPriceMinor: 13_900, version: 1 });
    expect(items.find((i) => i.sku === "KETTLE-1L7")).toMatchObject({ unitPriceMinor: 19_900, version: 0 });
  });
});

/** A seeded store's profile as a PUT body (the view less what the body does not take). */
function profileOfSeeded(answer: { status: number; body: Record<string, unknown> }) {
  expect(answer.status).toBe(200);
  const { storeId: _id, version: _version, updatedAt: _at, updatedBy: _by, ...body } = answer.body;
  expect(body).toMatchObject({ city: "Shanghai", routingPriority: 1, location: { lat: 31.2286, lon: 121.448 }, dailyCapacity: 2000, confirmationEscalationHours: 36 });
  expect((body.districtLocations as unknown[]).length).toBe(4);
  return body;
}

describe("the chain's price list through the gateway", () => {
  it("changes a price for new orders only: an order taken before keeps its total", async () => {
    const storeId = newStoreId();
    const sku = `LAMP-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    const added = await api.put(`/v1/price-list/${sku}`, { description: "Desk lamp", kind: "goods", unitPriceMinor: 10_000 }, headOffice);
    expect(added).toMatchObject({ status: 201, body: { sku, unitPriceMinor: 10_000, currency: "CNY", version: 1 } });
    const before = await orderAt(storeId, [{ sku, quantity: 2, unitPriceMinor: 10_000 }]);
    expect(before.status).toBe(201);

    const raised = await api.put(`/v1/price-list/${sku}`, { description: "Desk lamp", kind: "goods", unitPriceMinor: 12_000 }, { ...headOffice, ...ifMatch(1) });
    expect(raised).toMatchObject({ status: 200, body: { unitPriceMinor: 12_000, version: 2 } });
    const [, published] = await eventsOf(sku, 2);
    expect(published!.event).toMatchObject({ type: "oms.events.v1.PriceListItemPublished", orderId: "", payload: { sku, version: 2, unitPriceMinor: 12_000, currency: "CNY" } });

    expect((await orderAt(storeId, [{ sku, quantity: 2, unitPriceMinor: 10_000 }])).body.errors).toEqual([{ field: "lines[0].unitPriceMinor", message: "must be 12000, the listed price" }]);
    expect((await orderAt(storeId, [{ sku, quantity: 2, unitPriceMinor: 12_000 }])).status).toBe(201);
    const taken = await db().query("SELECT grand_total_minor, canonical -> 'lines' -> 0 ->> 'unitPriceMinor' AS unit FROM orders WHERE order_id = $1", [before.body.orderId]);
    expect(taken.rows).toEqual([{ grand_total_minor: 20_000, unit: "10000" }]);
  });

  it("withdraws an item: new orders naming it are refused as no longer on sale; publishing it again puts it back", async () => {
    const storeId = newStoreId();
    const sku = `VASE-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    expect((await api.put(`/v1/price-list/${sku}`, { description: "Vase", kind: "goods", unitPriceMinor: 5_000, handling: ["fragile"] }, headOffice)).status).toBe(201);
    expect((await orderAt(storeId, [{ sku, quantity: 1, unitPriceMinor: 5_000 }])).status).toBe(201);

    const withdrawn = await api.post(`/v1/price-list/${sku}/withdrawal`, { reason: "recalled" }, headOffice);
    expect(withdrawn).toMatchObject({ status: 200, body: { version: 2, withdrawn: { reason: "recalled" } } });
    expect(await api.post(`/v1/price-list/${sku}/withdrawal`, { reason: "again" }, headOffice)).toMatchObject({ status: 200, body: { version: 2, withdrawn: { reason: "recalled" } } });
    expect((await orderAt(storeId, [{ sku, quantity: 1, unitPriceMinor: 5_000 }])).body.errors).toEqual([{ field: "lines[0].sku", message: "is no longer on sale (withdrawn: recalled)" }]);
    const [, out] = await eventsOf(sku, 2);
    expect(out!.event).toMatchObject({ type: "oms.events.v1.PriceListItemWithdrawn", payload: { sku, version: 2, reason: "recalled" } });

    expect((await api.get("/v1/price-list")).body.items.map((i: { sku: string }) => i.sku)).not.toContain(sku);
    expect((await api.get("/v1/price-list?includeWithdrawn=true")).status).toBe(403);
    expect((await api.get("/v1/price-list?includeWithdrawn=true", auditor)).body.items.map((i: { sku: string }) => i.sku)).toContain(sku);

    expect(await api.put(`/v1/price-list/${sku}`, { description: "Vase", kind: "goods", unitPriceMinor: 5_000, handling: ["fragile"] }, headOffice)).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
    expect((await api.get("/v1/price-list")).body.items.find((i: { sku: string }) => i.sku === sku)).not.toHaveProperty("withdrawn");
    expect((await orderAt(storeId, [{ sku, quantity: 1, unitPriceMinor: 5_000 }])).status).toBe(201);
    expect((await changesOf(sku)).map((c) => c.version)).toEqual([1, 2, 3]);
  });

  it("is head office's: a store-scoped manager, a customer and bad items change nothing", async () => {
    const sku = `MUG-${randomUUID().slice(0, 8)}`;
    const item = { description: "Mug", kind: "goods", unitPriceMinor: 1_500 };
    expect(await api.put(`/v1/price-list/${sku}`, item, callerHeaders("staff:sm-ja:store-manager@store-sh-jingan"))).toMatchObject({
      status: 403,
      body: { code: "catalogue.price-list-chain-wide" },
    });
    expect(await api.post(`/v1/price-list/${sku}/withdrawal`, { reason: "x" }, callerHeaders("staff:sm-ja:store-manager@store-sh-jingan"))).toMatchObject({
      status: 403,
      body: { code: "catalogue.price-list-chain-wide" },
    });
    expect(await api.put(`/v1/price-list/${sku}`, item, customer)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    const bad = await api.put(`/v1/price-list/${sku}`, { ...item, unitPriceMinor: 0, skills: ["cleaning"] }, headOffice);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(["unitPriceMinor", "skills"]);
    expect(await api.post(`/v1/price-list/${sku}/withdrawal`, { reason: "x" }, headOffice)).toMatchObject({ status: 404 });
    expect((await db().query("SELECT 1 FROM price_list WHERE sku = $1", [sku])).rowCount).toBe(0);
    expect(await changesOf(sku)).toEqual([]);
  });
});

describe("the catalogue's trail", () => {
  it("shows who changed a store from what to what, and holds store-scoped readers to their stores", async () => {
    const storeId = newStoreId();
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile(), headOffice)).status).toBe(201);
    expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ dailyCapacity: 900 }), headOffice)).status).toBe(200);

    const trail = await api.get(`/v1/catalogue-changes?storeId=${storeId}`, auditor);
    expect(trail.status).toBe(200);
    expect(trail.body.changes).toMatchObject([
      { subjectKind: "store", subjectId: storeId, version: 2, changedBy: { id: "sm-head", role: "store-manager" }, previous: { dailyCapacity: 800 }, current: { dailyCapacity: 900 } },
      { version: 1, current: { dailyCapacity: 800 } },
    ]);
    expect(trail.body.changes[1]).not.toHaveProperty("previous");
    expect((await api.get(`/v1/catalogue-changes?storeId=${storeId}`, callerHeaders(`staff:au-2:auditor@${storeId}`))).status).toBe(200);
    expect(await api.get("/v1/catalogue-changes", callerHeaders(`staff:au-2:auditor@${storeId}`))).toMatchObject({ status: 403, body: { code: "caller.store-scope-required" } });
    expect((await api.get(`/v1/catalogue-changes?storeId=${storeId}`, callerHeaders("staff:au-3:auditor@store-sh-pudong"))).status).toBe(403);
    expect((await api.get(`/v1/catalogue-changes?storeId=${storeId}`, callerHeaders("staff:s-1:order-taker"))).status).toBe(403);
    await expect(db().query("UPDATE catalogue_changes SET actor_id = 'x' WHERE subject_id = $1", [storeId])).rejects.toThrow(/append-only/);
  });
  it("is read a page at a time, newest first, whole across a power of ten of change ids, a change written meanwhile first on the next reading", async () => {
    const storeId = newStoreId();
    // The next ids cross a power of ten (…95 to …07): compared as text, change 999 would come after 1000.
    const next = Number((await db().query<{ id: string }>("SELECT nextval(pg_get_serial_sequence('catalogue_changes', 'change_id')) AS id")).rows[0]!.id);
    await db().query("SELECT setval(pg_get_serial_sequence('catalogue_changes', 'change_id'), $1)", [10 ** String(next + 10).length - 5]);
    for (let capacity = 801; capacity <= 812; capacity++) expect((await api.put(`/v1/stores/${storeId}/profile`, profile({ dailyCapacity: capacity }), headOffice)).status).toBeLessThan(300);
    const path = `/v1/catalogue-changes?storeId=${storeId}`;
    const versions = (body: { changes: { version: number }[] }) => body.changes.map((c) => c.version);
    const oneRead = await api.get(`${path}&pageSize=500`, auditor);
    expect(versions(oneRead.body)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(oneRead.body.nextPageToken).toBeUndefined();

    const everyPage = (page: string, meanwhile?: () => Promise<unknown>) => {
      let written = false;
      return readEveryPage(async (pageToken) => {
        const answer = await api.get(`${path}${page}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`, auditor);
        expect(answer.status).toBe(200);
        if (meanwhile && !written) written = Boolean(await meanwhile());
        return { items: versions(answer.body), nextPageToken: answer.body.nextPageToken };
      });
    };
    // Written meanwhile, the newest change comes before every page read: not in this reading, nothing else moved.
    expect(await everyPage("&pageSize=5", () => api.put(`/v1/stores/${storeId}/profile`, profile({ dailyCapacity: 813 }), headOffice))).toEqual({ items: versions(oneRead.body), pages: 3 });
    // limit, pageSize's older name, pages the same; the next reading starts with the change written meanwhile.
    expect(await everyPage("&limit=5")).toEqual({ items: [13, ...versions(oneRead.body)], pages: 3 });

    const refusedNaming = async (query: string, field: string) => {
      const answer = await api.get(`${path}${query}`, auditor);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    };
    await refusedNaming("&pageToken=not-a-token", "pageToken");
    await refusedNaming(`&pageToken=${Buffer.from(JSON.stringify(["abc"])).toString("base64url")}`, "pageToken");
    await refusedNaming("&pageSize=501", "pageSize");
    await refusedNaming("&pageSize=5&limit=5", "limit");
  });
});
