import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt, postSigned, testPlatformSecrets, tmallOrder } from "../../test-fixtures.ts";
import { catalogueExamples } from "./openapi-catalogue.ts";

// Intake alone, its catalogue and marketplaces' settings kept a minute in memory, so only the
// writing replica's own reload can make a change hold at once. ADR 028, "Marketplaces'
// settings": head office lists a new item on Tmall and opens a store to one of its districts.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const savedSecrets = process.env.INTAKE_PLATFORM_SECRETS;
const headOffice = callerHeaders("staff:sm-head:store-manager");
const auditor = callerHeaders("staff:au-1:auditor");

beforeAll(async () => {
  namespace = await createTestNamespace();
  process.env.INTAKE_PLATFORM_SECRETS = JSON.stringify(testPlatformSecrets);
  intake = await startService(
    createIntakeService({ callerTrust: testCallerTrust, cacheMaxAgeMs: 60_000 }),
    testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)),
  );
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  if (savedSecrets === undefined) delete process.env.INTAKE_PLATFORM_SECRETS;
  else process.env.INTAKE_PLATFORM_SECRETS = savedSecrets;
  await intake?.stop();
  await namespace?.drop();
});

const db = () => intake.runtime.pool;
const ifMatch = (version: number) => ({ "if-match": `"${version}"` });
const platformChanges = async (platform: string) =>
  (await db().query("SELECT version, actor_id, previous, current FROM catalogue_changes WHERE subject_kind = 'platform' AND subject_id = $1 ORDER BY version", [platform])).rows;
const settingsOf = async (platform: string) => {
  const answer = await api.get(`/v1/platforms/${platform}`, headOffice);
  expect(answer.status).toBe(200);
  const { version, updatedAt: _at, updatedBy: _by, signingSecretConfigured: _secret, ...settings } = answer.body;
  return { version: version as number, settings: settings as { storesByDistrict: Record<string, string>; skuByItemId: Record<string, string> } & Record<string, unknown> };
};
const bodyOf = ({ platform: _platform, ...settings }: Record<string, unknown>) => settings;

/** A store of our own in a Shanghai district neither demo store serves, shipping free, open around the clock. */
async function openStore(district: string): Promise<string> {
  const storeId = `store-sh-${randomUUID().slice(0, 8)}`;
  const profile = {
    ...structuredClone(catalogueExamples.profile),
    name: `${district} store`,
    city: "Shanghai",
    serviceAreas: [district],
    districtLocations: [],
    businessHours: undefined,
    shippingFeeMinor: 0,
    freeShippingFromMinor: 0,
  };
  const opened = await api.put(`/v1/stores/${storeId}/profile`, profile, headOffice);
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return storeId;
}

async function priceItem(unitPriceMinor: number): Promise<string> {
  const sku = `LAMP-${randomUUID().slice(0, 8).toUpperCase()}`;
  const priced = await api.put(`/v1/price-list/${sku}`, { description: "Desk lamp, LED", kind: "goods", unitPriceMinor }, headOffice);
  expect(priced.status, JSON.stringify(priced.body)).toBe(201);
  return sku;
}

/** Tmall's order of one unit of its item `itemId`, delivered to `district`. */
function tmallOrderOf(itemId: string, district: string, priceFen: number) {
  const order = tmallOrder({
    orders: [{ outer_iid: itemId, title: "Lamp", num: 1, price_fen: priceFen }],
    payment: { total_fee_fen: priceFen, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
  });
  return { ...order, buyer: { ...order.buyer, receiver: { ...order.buyer.receiver, district } } };
}

describe("a marketplace's settings administered through the gateway", () => {
  it("maps a new Tmall item id to a new item and a district to a new store: Tmall's next order for it there is taken at that store", async () => {
    const storeId = await openStore("Songjiang");
    const sku = await priceItem(15_900);
    const itemId = `TM-${randomUUID().slice(0, 6)}`;
    // Read before the change, so the directory is in memory (for a minute) when it is made.
    const before = await postSigned(intake.httpPort, "tmall", tmallOrderOf(itemId, "Songjiang", 15_900));
    expect(before.body.errors).toEqual([{ field: "orders[0].outer_iid", message: "is not an item we sell on tmall" }]);

    const { version, settings } = await settingsOf("tmall");
    expect(version).toBe(0);
    const changed = {
      ...bodyOf(settings),
      storesByDistrict: { ...settings.storesByDistrict, Songjiang: storeId },
      skuByItemId: { ...settings.skuByItemId, [itemId]: sku },
    };
    const put = await api.put("/v1/platforms/tmall", changed, { ...headOffice, ...ifMatch(0) });
    expect(put, JSON.stringify(put.body)).toMatchObject({ status: 200, body: { platform: "tmall", version: 1, signingSecretConfigured: true, updatedBy: "staff:sm-head" } });
    expect(put.headers.get("etag")).toBe('"1"');
    expect(put.body.storesByDistrict).toMatchObject({ Songjiang: storeId, "Jing'an": "store-sh-jingan" });

    const taken = await postSigned(intake.httpPort, "tmall", tmallOrderOf(itemId, "Songjiang", 15_900));
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body).toMatchObject({ channel: "marketplace:tmall", storeId, totals: { grandTotalMinor: 15_900 } });
    const { rows } = await db().query("SELECT store_id FROM orders WHERE order_id = $1", [taken.body.orderId]);
    expect(rows).toEqual([{ store_id: storeId }]);

    // The trail: who, from what to what, and never a secret.
    const [change] = await platformChanges("tmall");
    expect(change).toMatchObject({ version: 1, actor_id: "sm-head", current: { platform: "tmall", skuByItemId: { [itemId]: sku } } });
    expect(change.previous.storesByDistrict).not.toHaveProperty("Songjiang");
    const trail = await api.get("/v1/catalogue-changes?platform=tmall", auditor);
    expect(trail).toMatchObject({ status: 200, body: { changes: [{ subjectKind: "platform", subjectId: "tmall", version: 1, changedBy: { id: "sm-head" } }] } });
    expect(JSON.stringify(trail.body)).not.toContain(testPlatformSecrets.tmall);
    expect(JSON.stringify(trail.body)).not.toContain("demoSecret");

    // The same settings again change nothing; a stale If-Match is refused and writes nothing.
    expect(await api.put("/v1/platforms/tmall", changed, headOffice)).toMatchObject({ status: 200, body: { version: 1 } });
    const stale = await api.put("/v1/platforms/tmall", { ...changed, callbackUrl: "https://open.tmall.example/x" }, { ...headOffice, ...ifMatch(0) });
    expect(stale).toMatchObject({ status: 412, body: { code: "catalogue.version-stale" } });
    expect((await platformChanges("tmall")).map((c) => c.version)).toEqual([1]);

    // Seeding the demo again leaves an administered platform as it is (and still seeds one never administered).
    await db().query("DELETE FROM platform_items WHERE platform = 'pinduoduo' AND item_id = '880001'");
    await seedDemoCatalogue(db());
    expect((await settingsOf("tmall")).settings.storesByDistrict).toMatchObject({ Songjiang: storeId });
    expect((await settingsOf("tmall")).version).toBe(1);
    expect((await settingsOf("pinduoduo")).settings.skuByItemId).toMatchObject({ "880001": "KETTLE-1L7" });
  });

  it("refuses unknown stores, unknown and withdrawn items and a bad callback naming each field, and writes nothing", async () => {
    const withdrawn = await priceItem(9_900);
    expect((await api.post(`/v1/price-list/${withdrawn}/withdrawal`, { reason: "Recalled" }, headOffice)).status).toBe(200);
    const before = await settingsOf("pinduoduo");
    const bad = {
      ...bodyOf(before.settings),
      defaultStoreId: "store-nowhere",
      storesByDistrict: { ...before.settings.storesByDistrict, Songjiang: "store-gone" },
      skuByItemId: { "880009": "NOT-ON-THE-LIST", "880010": withdrawn },
      callbackUrl: "http://pinduoduo.example/status",
    };
    const refused = await api.put("/v1/platforms/pinduoduo", bad, headOffice);
    expect(refused).toMatchObject({ status: 400, body: { code: "platform-settings.invalid" } });
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "defaultStoreId",
      'storesByDistrict["Songjiang"]',
      'skuByItemId["880009"]',
      'skuByItemId["880010"]',
      "callbackUrl",
    ]);
    expect(await settingsOf("pinduoduo")).toEqual(before);
    expect(await platformChanges("pinduoduo")).toEqual([]);

    const shape = await api.put("/v1/platforms/pinduoduo", { storesByDistrict: [], skuByItemId: {}, secret: "x" }, headOffice);
    expect(shape.status).toBe(400);
    expect(await api.put("/v1/platforms/ebay", bodyOf(before.settings), headOffice)).toMatchObject({ status: 404, body: { code: "platform.unknown" } });
    expect(await db().query("SELECT 1 FROM platforms WHERE platform = 'ebay'")).toMatchObject({ rowCount: 0 });
  });

  it("is head office's: a store-scoped manager, a customer or an auditor cannot change it; only chain-wide staff read it", async () => {
    const { settings } = await settingsOf("pinduoduo");
    const scopedManager = callerHeaders("staff:sm-2:store-manager@store-sh-jingan");
    const scopedAuditor = callerHeaders("staff:au-2:auditor@store-sh-jingan");
    for (const caller of [scopedManager, callerHeaders("customer:c-42"), auditor, {}]) {
      expect((await api.put("/v1/platforms/pinduoduo", bodyOf(settings), caller)).status).toBe(403);
    }
    expect(await api.put("/v1/platforms/pinduoduo", bodyOf(settings), scopedManager)).toMatchObject({ body: { code: "catalogue.platform-settings-chain-wide" } });
    for (const caller of [scopedManager, scopedAuditor, callerHeaders("staff:s-1:order-taker"), {}]) {
      expect((await api.get("/v1/platforms", caller)).status).toBe(403);
      expect((await api.get("/v1/platforms/pinduoduo", caller)).status).toBe(403);
    }
    expect((await api.get("/v1/catalogue-changes?platform=pinduoduo", scopedManager)).status).toBe(403);

    const listed = await api.get("/v1/platforms", auditor);
    expect(listed.status).toBe(200);
    expect(listed.body.platforms.map((p: { platform: string }) => p.platform)).toEqual(["pinduoduo", "tmall"]);
    expect(listed.body.platforms[0]).toMatchObject({ signingSecretConfigured: true, defaultStoreId: "store-sh-pudong" });
    expect(JSON.stringify(listed.body)).not.toContain("secret-0123456789");
    expect(await platformChanges("pinduoduo")).toEqual([]);
  });
});
