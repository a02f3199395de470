import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineAfterSalesService } from "../../services/after-sales/src/service.ts";
import { afterSalesClients, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { freePort, httpClient, peersAt } from "../../services/intake/src/test-fixtures.ts";
import { warehouseService } from "../../services/warehouse/src/service.ts";

// Calling off a return whose goods will not come (ADR 021) through intake's REST API, on the
// real after-sales and warehouse: after-sales accepts the return, the warehouse expects its
// goods at the order's store, the after-sales desk calls it off, and the case shows it.
// After-sales answers which store a case is (the gateway's store scope asks it).
let namespace: TestNamespace;
let afterSales: RunningService;
let warehouse: RunningService;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const otherStore = newStore();

beforeAll(async () => {
  namespace = await createTestNamespace();
  warehouse = await startService(warehouseService, testServiceConfig("warehouse", namespace));
  afterSales = await startService(defineAfterSalesService({}), testServiceConfig("after-sales", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { warehouse: `127.0.0.1:${warehouse.grpc.port}`, "after-sales": `127.0.0.1:${afterSales.grpc.port}` });
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  api = httpClient(intake.httpPort);
  cases = afterSalesClients(afterSales.grpc.port);
});

afterAll(async () => {
  cases?.query.close();
  cases?.commands.close();
  await intake?.stop();
  await afterSales?.stop();
  await warehouse?.stop();
  await namespace?.drop();
});

const clerk = callerHeaders(`staff:w-1:warehouse-clerk@${storeId}`);
const agent = callerHeaders("staff:cs-1:customer-service");
const expectedPath = `/v1/stores/${storeId}/expected-returns`;
const listedCaseIds = async () => ((await api.get(expectedPath, clerk)).body.returns as { caseId: string }[]).map((r) => r.caseId);

/** A return of one kettle accepted by after-sales, once the warehouse lists it. */
async function acceptedReturn(): Promise<{ caseId: string; orderId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: { kind: "staff", id: "cs-1", role: "customer-service" }, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await eventually(async () => ((await listedCaseIds()).includes(ask.caseId) ? true : undefined));
  return { caseId: ask.caseId, orderId };
}

describe("intake: calling off a return whose goods will not come", () => {
  it("lets the after-sales desk call it off: off the receiving list, who, when and why kept; again, it answers as it stands", async () => {
    const { caseId, orderId } = await acceptedReturn();
    const calledOff = await api.post(`/v1/returns/${caseId}/call-off`, { reason: "  customer kept the kettle  " }, agent);
    expect(calledOff.status, JSON.stringify(calledOff.body)).toBe(200);
    expect(calledOff.body).toMatchObject({
      caseId,
      orderId,
      storeId,
      status: "called-off",
      lines: [{ sku: "KETTLE-1", expected: 1, outstanding: 1 }],
      calledOffBy: "staff:cs-1",
      calledOffReason: "customer kept the kettle",
      calledOffAt: expect.any(String),
    });
    expect(await listedCaseIds()).not.toContain(caseId);
    // A supervisor working at the store, calling it off again: the return as it stands.
    const again = await api.post(`/v1/returns/${caseId}/call-off`, { reason: "parcel lost" }, callerHeaders(`staff:sv-1:supervisor@${storeId}`));
    expect(again).toMatchObject({ status: 200, body: calledOff.body });
    // After-sales hears it: the case shows when and why, once, for whoever reads it next.
    const onCase = await eventually(async () => {
      const answer = await api.get(`/v1/after-sales-cases/${caseId}`, agent);
      return answer.body.goodsCalledOffAt ? answer.body : undefined;
    });
    expect(onCase).toMatchObject({ goodsCalledOffAt: calledOff.body.calledOffAt, goodsCalledOffReason: "customer kept the kettle", goodsOutstanding: 1 });
    // The reason crossed the topic sealed (the warehouse's ring, which after-sales holds to open it), and its showing is logged (ADR 024, twenty-fourth-session addendum).
    const log = await api.get(`/v1/after-sales-cases/${caseId}/disclosures?pageSize=1000`, callerHeaders("staff:au-1:auditor"));
    expect(log.body.disclosures.at(-1)).toMatchObject({ shownTo: "staff:cs-1", fields: ["description", "goods-called-off-reason"] });
  });

  it("refuses the clerks and other stores' staff, a missing or overlong reason, an unknown case and a received return, writing nothing", async () => {
    const { caseId } = await acceptedReturn();
    const path = `/v1/returns/${caseId}/call-off`;

    const byClerk = await api.post(path, { reason: "customer kept it" }, clerk);
    expect(byClerk).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(byClerk.body.detail).toContain("a customer-service agent, a supervisor or the store manager");
    expect(await api.post(path, { reason: "customer kept it" }, callerHeaders("customer:c-42"))).toMatchObject({ status: 403 });
    expect(await api.post(path, { reason: "customer kept it" }, callerHeaders(`staff:cs-2:customer-service@${otherStore}`))).toMatchObject({
      status: 403,
      body: { code: "caller.out-of-store-scope" },
    });

    const noReason = await api.post(path, {}, agent);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ field: "reason", message: expect.any(String) }]);
    expect((await api.post(path, { reason: "   " }, agent)).body.errors).toEqual([{ field: "reason", message: expect.any(String) }]);
    expect((await api.post(path, { reason: "x".repeat(501) }, agent)).body.errors).toEqual([{ field: "reason", message: expect.stringContaining("500") }]);
    expect((await api.post(path, { reason: "kept", note: "?" }, agent)).body.errors).toEqual([{ field: "note", message: "is not a known field" }]);
    expect(await api.post("/v1/returns/case-nobody-accepted/call-off", { reason: "customer kept it" }, agent)).toMatchObject({ status: 404 });
    // None of it was written: the return is still expected, as it was.
    expect((await api.get(expectedPath, clerk)).body.returns).toContainEqual(expect.objectContaining({ caseId, status: "expected", calledOffAt: "", calledOffReason: "" }));

    // Every unit came back: nothing left to call off. The store's own manager, scoped to it, is told so.
    const received = await api.post(`/v1/returns/${caseId}/receipts`, { receiptId: "RET-1", lines: [{ sku: "KETTLE-1", resellable: 1, location: "RET-01" }] }, clerk);
    expect(received).toMatchObject({ status: 200, body: { status: "received" } });
    expect(await api.post(path, { reason: "customer kept it" }, callerHeaders(`staff:m-1:store-manager@${storeId}`))).toMatchObject({
      status: 409,
      body: { code: "return.already-received" },
    });
  });
});
