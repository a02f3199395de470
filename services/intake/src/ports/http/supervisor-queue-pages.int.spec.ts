import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../../test-fixtures.ts";

/**
 * The supervisors' queues — manual reviews and corrections waiting for a decision — read a page at
 * a time over intake's API: oldest first, a tie on the request's microsecond broken by its id,
 * each request once while others are decided or arrive between pages, and a page asked wrongly
 * refused naming the field. Both were cut at the page size (at most 200) without saying so.
 */
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const supervisor = callerHeaders("staff:sup-1:supervisor");
const reviewer = callerHeaders("staff:rev-1:reviewer");
const storeId = "store-sh-jingan";

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

/** 11 rice cookers: above the Jing'an flagship's review threshold, so the order waits for a reviewer. */
async function heldForReview(): Promise<string> {
  const order = await demoOrder({
    lines: [{ sku: "RICE-COOKER-5L", quantity: 11, unitPriceMinor: 45_900 }],
    totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 504_900, currency: "CNY" },
  });
  const answer = await api.post("/v1/orders", order, callerHeaders("customer:c-42"));
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.reviewId as string;
}

/** Every page of a queue, `between` run after the first; the ids in the order listed, and how many pages. */
async function readQueue(path: string, key: "reviews" | "corrections", idOf: (item: Record<string, string>) => string, between: () => Promise<void>) {
  const ids: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await api.get(`${path}?storeId=${storeId}&pageSize=2${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`, key === "reviews" ? reviewer : supervisor);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    ids.push(...(page.body[key] as Record<string, string>[]).map(idOf));
    token = page.body.nextPageToken as string | undefined;
    if (pages++ === 0) await between();
  } while (token !== undefined && pages < 20);
  return { ids, pages };
}

/** Requests at these times, as `UPDATE … SET requested_at` puts them: the third ties the second to the microsecond. */
const times = ["2026-11-01T08:00:00.000001Z", "2026-11-02T08:00:00.000001Z", "2026-11-02T08:00:00.000001Z", "2026-11-03T08:00:00Z"];
const inQueueOrder = (ids: string[]) => ids.map((id, i) => ({ id, at: times[i]! })).sort((a, b) => a.at.localeCompare(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => r.id);

describe("the supervisors' queues, a page at a time", () => {
  it("lists each pending review once, oldest first, while one is decided and another arrives between pages", async () => {
    const reviewIds = [await heldForReview(), await heldForReview(), await heldForReview(), await heldForReview()];
    for (const [i, id] of reviewIds.entries()) await intake.runtime.pool.query("UPDATE reviews SET requested_at = $2 WHERE review_id = $1", [id, times[i]]);
    let arrived = "";
    const { ids, pages } = await readQueue("/v1/reviews", "reviews", (r) => r.reviewId!, async () => {
      const decided = await api.post(`/v1/reviews/${inQueueOrder(reviewIds)[0]}/approval`, { note: "a canteen" }, reviewer);
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      arrived = await heldForReview();
    });
    expect(ids).toEqual([...inQueueOrder(reviewIds), arrived]);
    expect(pages).toBe(3);
  });

  it("lists each pending correction once, oldest first, across pages", async () => {
    const correctionIds: string[] = [];
    for (const at of times) {
      const placed = await api.post("/v1/orders", await demoOrder(), callerHeaders("customer:c-43"));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const correctionId = randomUUID();
      correctionIds.push(correctionId);
      await intake.runtime.pool.query(
        `INSERT INTO order_corrections (correction_id, order_id, store_id, fields, changes, reason, requested_by, requested_at)
         VALUES ($1, $2, $3, '{note}', '{"note":"leave it with the concierge"}', 'the customer called', 'staff:ot-1:order-taker', $4)`,
        [correctionId, placed.body.orderId, storeId, at],
      );
    }
    const { ids, pages } = await readQueue("/v1/corrections", "corrections", (c) => c.correctionId!, async () => {});
    expect(ids).toEqual(inQueueOrder(correctionIds));
    expect(pages).toBe(2);
  });

  it("refuses a token neither queue gave and a size outside 1 to 200, naming each", async () => {
    for (const [path, who] of [["/v1/reviews", reviewer], ["/v1/corrections", supervisor]] as const) {
      const forged = await api.get(`${path}?storeId=${storeId}&pageToken=${Buffer.from('["soon","x"]').toString("base64url")}`, who);
      expect(forged.status, path).toBe(400);
      expect(forged.body.errors.map((e: { field: string }) => e.field)).toEqual(["pageToken"]);
      expect((await api.get(`${path}?storeId=${storeId}&pageSize=201`, who)).status, path).toBe(400);
      // Well-formed but for a NUL in the id, which Postgres text cannot hold: a 400 before any query, not a 500 from it.
      const withNul = await api.get(`${path}?storeId=${storeId}&pageToken=${Buffer.from(JSON.stringify(["1796119200000123", "r-\u0000"])).toString("base64url")}`, who);
      expect(withNul.status, `${path} ${JSON.stringify(withNul.body)}`).toBe(400);
      expect(withNul.body.errors.map((e: { field: string }) => e.field)).toEqual(["pageToken"]);
    }
  });
});
