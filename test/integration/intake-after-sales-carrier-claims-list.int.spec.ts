import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// The store's claims against carriers to chase (ADR 017, carrier-claim addendum) through
// intake's REST API, on the real after-sales: the desk and finance list a store's claims, the
// overdue one marked and alone with overdueOnly, held to their stores; other roles are refused;
// a bad query is refused naming the field; never the customer's description.
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const storeId = newStore();
const otherStore = newStore();
const path = `/v1/stores/${storeId}/carrier-claims`;

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

/** A return resolved with cause carrier at the store and claimed; `daysAgo` dates the filing back by SQL (a month cannot pass in a test). */
async function claimed(store: string, amountMinor: number, daysAgo = 0): Promise<string> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId: store, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { description: "the parcel came soaked" });
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await cases.commands.resolveCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 0 });
  await cases.commands.fileCarrierClaim({ caseId: ask.caseId, caller: deskAgent, correlationId: "", carrier: "SF Express", carrierReference: "", amountMinor });
  if (daysAgo > 0) await afterSales.runtime.pool.query("UPDATE cases SET carrier_claim_filed_at = now() - make_interval(days => $2) WHERE case_id = $1", [ask.caseId, daysAgo]);
  return ask.caseId;
}

describe("intake: the store's claims against carriers", () => {
  it("lists them for the store's desk and finance and chain-wide callers, the oldest filing first, the overdue marked, without the customer's words", async () => {
    const recent = await claimed(storeId, 4_000);
    const overdue = await claimed(storeId, 5_000, 31);
    await claimed(otherStore, 6_000, 40);

    for (const caller of [`staff:cs-1:customer-service@${storeId}`, `staff:sv-1:supervisor@${storeId}`, `staff:m-1:store-manager@${storeId}`, `staff:fin-1:finance@${storeId}`, "staff:fin-hq:finance"]) {
      const listed = await api.get(path, callerHeaders(caller));
      expect(listed.status, `${caller} ${JSON.stringify(listed.body)}`).toBe(200);
      expect(listed.body.claims.map((c: { caseId: string; overdue: boolean }) => [c.caseId, c.overdue]), caller).toEqual([
        [overdue, true],
        [recent, false],
      ]);
    }
    const [first] = (await api.get(`${path}?overdueOnly=true`, callerHeaders("staff:fin-hq:finance"))).body.claims;
    expect(first).toMatchObject({ caseId: overdue, storeId, claim: { status: "filed", carrier: "SF Express", claimedMinor: 5_000, currency: "CNY", filedBy: "staff:cs-1" }, overdue: true });
    expect(first).not.toHaveProperty("description");
    expect(JSON.stringify(first)).not.toContain("soaked");
    expect((await api.get(`${path}?status=settled`, callerHeaders("staff:fin-hq:finance"))).body).toEqual({ claims: [] });
    expect((await api.get(`${path}?limit=1`, callerHeaders("staff:fin-hq:finance"))).body.claims.map((c: { caseId: string }) => c.caseId)).toEqual([overdue]);
  });

  it("refuses other roles and another store's staff", async () => {
    for (const caller of ["customer:c-42", "platform:pos", `staff:w-1:warehouse-clerk@${storeId}`, `staff:r-7:rider@${storeId}`, "staff:au-1:auditor"]) {
      expect(await api.get(path, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    const taker = await api.get(path, callerHeaders(`staff:ot-1:order-taker@${storeId}`));
    expect(taker.body.detail).toContain("a customer-service agent, a supervisor, the store manager or a finance clerk");
    for (const caller of [`staff:cs-9:customer-service@${otherStore}`, `staff:fin-9:finance@${otherStore}`]) {
      expect(await api.get(path, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    }
  });

  it("refuses a bad query naming the field", async () => {
    const desk = callerHeaders(`staff:cs-1:customer-service@${storeId}`);
    for (const [query, field] of [
      ["status=lost", "status"],
      ["status=", "status"],
      ["status=settled&overdueOnly=true", "status"],
      ["overdueOnly=yes", "overdueOnly"],
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["carrier=SF", "carrier"],
    ] as const) {
      const answer = await api.get(`${path}?${query}`, desk);
      expect(answer, query).toMatchObject({ status: 400 });
      expect(answer.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });
});
