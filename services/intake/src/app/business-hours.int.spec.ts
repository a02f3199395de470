import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoChain, startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { catalogueRepository } from "../adapters/pg/catalogue-repository.ts";
import { createIntakeService } from "../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../test-fixtures.ts";
import { catalogueOfChain, seedDemoCatalogue } from "./commands/seed-demo-catalogue.ts";

// Intake alone (fulfillment down), with two stores of its own hours beside the demo chain's,
// which is open around the clock. Hours are on Shanghai's clock (UTC+8, no daylight saving).
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

const zone = "Asia/Shanghai";
const shanghaiDate = (instant: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(instant);
const weekdayInShanghai = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short" });
const isoDayInShanghai = (instant: Date) => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(weekdayInShanghai.format(instant)) + 1;
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

// Closed today and tomorrow (so the test cannot cross midnight into an open day), open around the clock otherwise.
const today = isoDayInShanghai(new Date());
const closedToday = {
  storeId: "store-test-closed-today",
  name: "Closed-today store",
  hours: { open: "00:00", close: "24:00", days: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today && d !== (today % 7) + 1), timeZone: zone },
};
const monToSat = { storeId: "store-test-mon-sat", name: "Mon–Sat store", hours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6], timeZone: zone } };

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  // The demo flagship's terms under other ids and names, with their own hours; before any order, so the catalogue is read with them.
  const flagship = catalogueOfChain(await loadDemoChain()).profiles.find((s) => s.storeId === "store-sh-jingan")!;
  await catalogueRepository.upsertStores(
    intake.runtime.pool,
    [closedToday, monToSat].map(({ storeId, name, hours: { timeZone, ...hours } }) => ({ ...flagship, storeId, name, timeZone, businessHours: hours })),
  );
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

const counterOrder = (storeId: string) => demoOrder({ channel: "pos", channelOrderId: `POS-${Date.now()}-${Math.random()}`, storeId, paymentMethod: "cash" });
const orderTaker = callerHeaders("staff:staff-sun-li:order-taker");
const countOrders = async (storeId: string) =>
  (await intake.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE store_id = $1", [storeId])).rows[0]!.n;

describe("intake: business hours", () => {
  it("seeds the demo stores' hours and time zone from the chain", async () => {
    const { rows } = await intake.runtime.pool.query("SELECT timezone, opens_at, closes_at, open_days::int[] AS days FROM stores WHERE store_id = 'store-sh-jingan'");
    expect(rows).toEqual([{ timezone: "Asia/Shanghai", opens_at: "00:00", closes_at: "24:00", days: [1, 2, 3, 4, 5, 6, 7] }]);
  });

  it("takes a counter order while the store is open", async () => {
    const answer = await api.post("/v1/orders", await counterOrder("store-sh-jingan"), orderTaker);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ channel: "pos", storeId: "store-sh-jingan" });
  });

  it("refuses a counter order while the store is closed with 422 and the hours the customer can be told, and stores nothing", async () => {
    const answer = await api.post("/v1/orders", await counterOrder(closedToday.storeId), orderTaker);
    expect(answer).toMatchObject({ status: 422, body: { code: "order.out-of-scope" } });
    expect(answer.body.errors).toEqual([
      { field: "storeId", message: expect.stringMatching(/^Closed-today store is closed now: open [A-Za-z–, ]+ 00:00–24:00 \(Asia\/Shanghai\)$/) },
    ]);
    expect(await countOrders(closedToday.storeId)).toBe(0);
    // Shipping goes on around the clock: the same order from the website is taken.
    const shipped = await api.post("/v1/orders", await demoOrder({ storeId: closedToday.storeId }));
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
  });

  it("needs a pick-up's requested window to meet the store's opening hours on an open day", async () => {
    const days = [2, 3, 4, 5, 6, 7, 8].map(daysFromNow);
    const sunday = shanghaiDate(days.find((d) => isoDayInShanghai(d) === 7)!);
    const monday = shanghaiDate(days.find((d) => isoDayInShanghai(d) === 1)!);
    const pickup = (from: string, until: string) => demoOrder({ storeId: monToSat.storeId, fulfillmentMethod: "pickup", requestedFrom: from, requestedUntil: until });

    const refused = await api.post("/v1/orders", await pickup(`${sunday}T10:00:00+08:00`, `${sunday}T12:00:00+08:00`));
    expect(refused).toMatchObject({
      status: 422,
      body: { code: "order.out-of-scope", errors: [{ field: "requestedFrom", message: "Mon–Sat store is closed then: open Mon–Sat 09:00–21:00 (Asia/Shanghai)" }] },
    });
    // 01:00–02:30 UTC is 09:00–10:30 in Shanghai.
    const accepted = await api.post("/v1/orders", await pickup(`${monday}T01:00:00Z`, `${monday}T02:30:00Z`));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const evening = await api.post("/v1/orders", await pickup(`${monday}T21:00:00+08:00`, `${monday}T22:00:00+08:00`));
    expect(evening.body.errors).toEqual([{ field: "requestedFrom", message: "Mon–Sat store is closed then: open Mon–Sat 09:00–21:00 (Asia/Shanghai)" }]);
  });
});
