import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesRefundReference, newEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, publishEvents, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineAfterSalesService } from "../../services/after-sales/src/service.ts";
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { freePort, httpClient, peersAt } from "../../services/intake/src/test-fixtures.ts";

// The worklist of refunds that fell short (ADR 017, addendum) through intake's REST API, on
// the real after-sales: billing's RefundIssued and CaseRefundShortfall (published here as
// billing would) land on the cases; the list filtered by refundShortfall shows the short ones
// to the after-sales desk and to finance, each held to their stores, and to no one else; once
// finance settles a shortfall by hand, the case leaves the list.
let namespace: TestNamespace;
let afterSales: RunningService;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const otherStore = newStore();
const cny = (minor: number) => ({ minor, currency: "CNY" });
let inFull: string;
let short: string;
let shortElsewhere: string;

beforeAll(async () => {
  namespace = await createTestNamespace();
  afterSales = await startService(defineAfterSalesService({}), testServiceConfig("after-sales", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { "after-sales": `127.0.0.1:${afterSales.grpc.port}` });
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  api = httpClient(intake.httpPort);
  cases = afterSalesClients(afterSales.grpc.port);
  // One case refunded in full, one short at the store, one short at another store.
  inFull = await resolvedAndRefunded(storeId, 4_000, 4_000);
  short = await resolvedAndRefunded(storeId, 9_000, 6_800);
  shortElsewhere = await resolvedAndRefunded(otherStore, 2_000, 0);
});

afterAll(async () => {
  cases?.query.close();
  cases?.commands.close();
  await intake?.stop();
  await afterSales?.stop();
  await namespace?.drop();
});

/** A return resolved with `named` going back, billing's news of it published, and heard by after-sales. */
async function resolvedAndRefunded(store: string, named: number, refunded: number): Promise<string> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId: store, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await cases.commands.resolveCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", resolution: "kettle taken back", cause: "product", refundMinor: named });
  const origin = { producer: "billing", orderId, storeId: store, actor: { kind: "staff", id: "cs-1", role: "customer-service" } as const };
  const news = [];
  if (refunded > 0) {
    news.push(
      newEvent(
        EventTypes.RefundIssued,
        { refundId: randomUUID(), amount: cny(refunded), method: "third-party", reason: "after-sales return", trigger: "after-sales", source: "prepayment", refundedTotal: cny(refunded), paidTotal: cny(refunded), reference: afterSalesRefundReference(ask.caseId) },
        origin,
      ),
    );
  }
  const reason = refunded > 0 ? `already refunded: 4000 of the 10800 paid went back before, ${refunded} was left` : "nothing paid on the order yet";
  if (refunded < named) news.push(newEvent(EventTypes.CaseRefundShortfall, { caseId: ask.caseId, requested: cny(named), refunded: cny(refunded), reason }, origin));
  await publishEvents(namespace.name, Topics.billingSettlement, news);
  await eventually(async () => {
    const c = await cases.query.getCase({ caseId: ask.caseId, caller: undefined, correlationId: "" });
    return c.refundedMinor === refunded && (refunded === named || c.refundShortfall) ? true : undefined;
  });
  return ask.caseId;
}

const worklist = (query: string, who: string) => api.get(`/v1/after-sales-cases?refundShortfall=true${query}`, callerHeaders(who));
const idsOf = (body: { cases: { caseId: string }[] }) => body.cases.map((c) => c.caseId);

describe("intake: the worklist of refunds that fell short", () => {
  it("shows customer service the store's short refunds with what went back and why, and every case what was refunded", async () => {
    const answer = await worklist(`&storeId=${storeId}`, "staff:cs-1:customer-service");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(idsOf(answer.body)).toEqual([short]);
    expect(answer.body.cases[0]).toMatchObject({
      caseId: short,
      status: "resolved",
      refundMinor: 9_000,
      refundedMinor: 6_800,
      refundShortfall: { requestedMinor: 9_000, refundedMinor: 6_800, reason: "already refunded: 4000 of the 10800 paid went back before, 6800 was left", at: expect.any(String) },
    });
    const whole = await api.get(`/v1/after-sales-cases/${inFull}`, callerHeaders("staff:cs-1:customer-service"));
    expect(whole.status).toBe(200);
    expect(whole.body.refundedMinor).toBe(4_000);
    expect(whole.body).not.toHaveProperty("refundShortfall");
  });

  it("lets finance read the worklist, every store's when working chain-wide, but not the other cases", async () => {
    const chainWide = await worklist("", "staff:fin-1:finance");
    expect(chainWide.status, JSON.stringify(chainWide.body)).toBe(200);
    expect(idsOf(chainWide.body)).toEqual(expect.arrayContaining([short, shortElsewhere]));
    expect(idsOf(chainWide.body)).not.toContain(inFull);
    expect(idsOf((await worklist(`&storeId=${otherStore}`, "staff:fin-1:finance")).body)).toEqual([shortElsewhere]);
    // The customer's words are the desk's to read, not finance's (ADR 017, sealing addendum).
    const descriptionsOf = (body: { cases: { description: string }[] }) => [...new Set(body.cases.map((c) => c.description))];
    expect(descriptionsOf(chainWide.body)).toEqual([""]);
    expect(descriptionsOf((await worklist(`&storeId=${storeId}`, "staff:cs-1:customer-service")).body)).toEqual([openRequest("").description]);

    for (const query of [`?storeId=${storeId}`, `?storeId=${storeId}&refundShortfall=false`]) {
      const all = await api.get(`/v1/after-sales-cases${query}`, callerHeaders("staff:fin-1:finance"));
      expect(all).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
      expect(all.body.detail).toContain("a customer-service agent, a supervisor or the store manager");
    }
  });

  it("holds staff of a store to their store, and refuses the roles it is not for", async () => {
    const scopedFinance = `staff:fin-2:finance@${storeId}`;
    expect(idsOf((await worklist(`&storeId=${storeId}`, scopedFinance)).body)).toEqual([short]);
    expect(await worklist(`&storeId=${otherStore}`, scopedFinance)).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await worklist("", scopedFinance)).toMatchObject({ status: 403, body: { code: "caller.store-scope-required" } });
    expect(idsOf((await worklist(`&storeId=${storeId}`, `staff:sv-1:supervisor@${storeId}`)).body)).toEqual([short]);

    for (const who of ["staff:r-1:rider", "staff:a-1:auditor", "customer:c-42", ""]) {
      expect((await worklist(`&storeId=${storeId}`, who)).status, who).toBe(403);
    }
  });

  it("still wants a store (or an order) for the whole list, and refuses a filter that is not true or false", async () => {
    const noStore = await api.get("/v1/after-sales-cases", callerHeaders("staff:cs-1:customer-service"));
    expect(noStore.status).toBe(400);
    expect(noStore.body.errors).toEqual([{ field: "storeId", message: "is required unless orderId is given or refundShortfall is true (and neither replacementLate nor inRework is)" }]);
    const wrong = await api.get(`/v1/after-sales-cases?storeId=${storeId}&refundShortfall=yes`, callerHeaders("staff:cs-1:customer-service"));
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ field: "refundShortfall", message: expect.any(String) }]);
  });

  // Last: it takes `short` off the worklist the tests above read.
  it("lets finance settle a shortfall, which takes the case off the worklist, and refuses the desk and other stores' finance", async () => {
    const settle = (caseId: string, who: string, body: object = { reference: "FIN-2026-0042", note: "rest paid by bank transfer" }) =>
      api.post(`/v1/after-sales-cases/${caseId}/refund-shortfall/settlement`, body, callerHeaders(who));
    expect(await settle(short, "staff:cs-1:customer-service")).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await settle(short, `staff:fin-2:finance@${otherStore}`)).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect((await settle(short, "staff:fin-1:finance", { note: "no reference" })).status).toBe(400);
    expect(idsOf((await worklist(`&storeId=${storeId}`, "staff:cs-1:customer-service")).body)).toEqual([short]);

    const settled = await settle(short, `staff:fin-2:finance@${storeId}`);
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body.description).toBe("");
    expect(settled.body.refundShortfall).toMatchObject({ requestedMinor: 9_000, refundedMinor: 6_800, settledBy: "staff:fin-2", settledReference: "FIN-2026-0042", settledNote: "rest paid by bank transfer", settledAt: expect.any(String) });
    expect(idsOf((await worklist(`&storeId=${storeId}`, "staff:cs-1:customer-service")).body)).toEqual([]);
    expect(idsOf((await worklist("", "staff:fin-1:finance")).body)).not.toContain(short);

    expect(await settle(short, "staff:fin-1:finance", { reference: "VOUCHER-7" })).toMatchObject({ status: 409, body: { code: "after-sales.shortfall-already-settled" } });
    expect(await settle(inFull, "staff:fin-1:finance")).toMatchObject({ status: 409, body: { code: "after-sales.no-refund-shortfall" } });
  });
});
