import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, type OrderEvent } from "@oms/contracts";
import { callerHeaders, publishEvents, readEveryPage } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { byFulfillment, consumed, orderCreated, orderFigures, prepaidWebsite, settlementRequested } from "../../../../billing/src/test-fixtures.ts";
import { expectProblem } from "../../test-fixtures.ts";
import { startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// Reconciliation through intake's REST API, run and kept by a real billing over gRPC, against a
// stand-in of fulfillment's order figures: finance runs and explains, finance and auditors read,
// everyone else is refused; billing's field rules come back as 400s naming the request's fields.
let system: IntakeWithBilling;
let api: IntakeWithBilling["api"];

beforeAll(async () => {
  system = await startIntakeWithBilling({ fulfillmentStandIn: true });
  api = system.api;
});

afterAll(() => system?.stop());

const finance = callerHeaders("staff:f-1:finance");
const auditor = callerHeaders("staff:a-1:auditor");
const period = { from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString() };

const closure = (orderId: string): OrderEvent =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "", holdReason: "" },
    byFulfillment(orderId, { kind: "staff", id: "f-1", role: "finance" }),
  );

describe("intake: reconciling a store's money against its orders", () => {
  const agrees = randomUUID();
  const missedClosure = randomUUID();
  let reconciliationId = "";
  let differenceId = "";

  it("finance runs it for a store's period and reads the difference found; a retry is the same run", async () => {
    const heard = [orderCreated(agrees, prepaidWebsite), settlementRequested(agrees, prepaidWebsite), closure(agrees), orderCreated(missedClosure, prepaidWebsite), settlementRequested(missedClosure, prepaidWebsite)];
    await publishEvents(system.billing.namespace.name, Topics.fulfillmentOrder, heard);
    await consumed(system.billing.billing.runtime.pool, ...heard);
    system.billing.orders!.set(agrees, orderFigures(agrees, "closed"));
    system.billing.orders!.set(missedClosure, orderFigures(missedClosure, "closed"));

    const run = await api.post("/v1/stores/store-test/reconciliations", { requestId: "day-1", ...period }, finance);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(run.body).toMatchObject({ storeId: "store-test", requestId: "day-1", startedBy: "staff:f-1", ordersCompared: 2, differencesFound: 1, openDifferences: 1, balanced: false });
    expect(run.body.differences).toEqual([
      expect.objectContaining({ orderId: missedClosure, kind: "closed-without-invoice", state: "open", orderStatus: "closed", paid: { minor: 10_800, currency: "CNY" }, explanations: [] }),
    ]);
    ({ reconciliationId } = run.body);
    differenceId = run.body.differences[0].differenceId;

    expect(await api.post("/v1/stores/store-test/reconciliations", { requestId: "day-1", ...period }, finance)).toMatchObject({ status: 201, body: { reconciliationId } });
    for (const reader of [finance, auditor]) {
      expect(await api.get(`/v1/reconciliations/${reconciliationId}`, reader)).toMatchObject({ status: 200, body: { reconciliationId, differences: [{ differenceId }] } });
      const listed = await api.get(`/v1/stores/store-test/reconciliations?from=${encodeURIComponent(period.from)}&until=${encodeURIComponent(period.until)}`, reader);
      expect(listed.status).toBe(200);
      expect(listed.body.reconciliations).toEqual([expect.objectContaining({ reconciliationId, balanced: false })]);
      expect(listed.body.reconciliations[0].differences).toBeUndefined();
    }
  });

  it("finance explains the difference once under its id, and the run is balanced; a rerun does not reopen it", async () => {
    const explanation = { explanationId: "e-1", correction: "order-data-corrected", note: "closure replayed to billing by ops ticket OPS-12" };
    const explained = await api.post(`/v1/reconciliations/${reconciliationId}/differences/${differenceId}/explanation`, explanation, finance);
    expect(explained.status, JSON.stringify(explained.body)).toBe(201);
    expect(explained.body).toMatchObject({ balanced: true, openDifferences: 0, differences: [{ state: "explained", explanations: [{ ...explanation, explainedBy: "staff:f-1" }] }] });
    const retried = await api.post(`/v1/reconciliations/${reconciliationId}/differences/${differenceId}/explanation`, explanation, finance);
    expect(retried.body.differences[0].explanations).toHaveLength(1);
    expectProblem(await api.post(`/v1/reconciliations/${reconciliationId}/differences/${differenceId}/explanation`, { ...explanation, note: "other words" }, finance), 409, "reconciliation.explanation-id-reused");

    const rerun = await api.post("/v1/stores/store-test/reconciliations", { requestId: "day-1-again", ...period }, finance);
    expect(rerun.body).toMatchObject({ balanced: true, differences: [{ differenceId, state: "explained" }] });
  });

  it("refuses anyone but finance to run or explain, and anyone but finance and auditors to read", async () => {
    const storeManager = callerHeaders("staff:m-1:store-manager");
    expectProblem(await api.post("/v1/stores/store-test/reconciliations", { requestId: "x", ...period }, auditor), 403);
    expectProblem(await api.post(`/v1/reconciliations/${reconciliationId}/differences/${differenceId}/explanation`, { explanationId: "e-2", correction: "written-off", note: "n" }, auditor), 403);
    expectProblem(await api.get(`/v1/reconciliations/${reconciliationId}`, storeManager), 403);
    expectProblem(await api.get(`/v1/reconciliations/${reconciliationId}`, callerHeaders("customer:c-1")), 403);
  });

  it("names each wrong field: the body's, billing's period rules, a request id reused for another period, an unknown run", async () => {
    const missing = await api.post("/v1/stores/store-test/reconciliations", { from: "yesterday" }, finance);
    expectProblem(missing, 400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["from", "requestId", "until"]);
    const tooLong = await api.post("/v1/stores/store-test/reconciliations", { requestId: "long", from: period.from, until: new Date(Date.parse(period.from) + 40 * 86_400_000).toISOString() }, finance);
    expectProblem(tooLong, 400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: "until" })]);
    expectProblem(await api.post("/v1/stores/store-test/reconciliations", { requestId: "day-1", from: period.from, until: new Date(Date.parse(period.until) + 1_000).toISOString() }, finance), 409, "reconciliation.request-id-reused");
    const badCorrection = await api.post(`/v1/reconciliations/${reconciliationId}/differences/${differenceId}/explanation`, { explanationId: "e-3", correction: "shrug", note: "" }, finance);
    expectProblem(badCorrection, 400);
    expect(badCorrection.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["correction", "note"]);
    expectProblem(await api.get(`/v1/reconciliations/${randomUUID()}`, finance), 404, "reconciliation.unknown");
    expectProblem(await api.get("/v1/stores/store-test/reconciliations?from=nope", finance), 400);
  });
});

describe("intake: a store's reconciliations, a page at a time", () => {
  it("reads every run across pages, newest first, none twice or missing, and refuses a page token or size it did not give, naming it", async () => {
    const store = `store-paged-${randomUUID().slice(0, 8)}`;
    const runs: string[] = [];
    // Five runs of one period, one after another: the latest run of a period is listed first.
    for (const requestId of ["p-1", "p-2", "p-3", "p-4", "p-5"]) {
      const run = await api.post(`/v1/stores/${store}/reconciliations`, { requestId, ...period }, finance);
      expect(run.status, JSON.stringify(run.body)).toBe(201);
      runs.unshift(run.body.reconciliationId);
    }
    const list = `/v1/stores/${store}/reconciliations?from=${encodeURIComponent(period.from)}&until=${encodeURIComponent(period.until)}`;
    const whole = await readEveryPage(async (pageToken) => {
      const page = await api.get(`${list}&pageSize=2${pageToken && `&pageToken=${pageToken}`}`, auditor);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return { items: page.body.reconciliations.map((r: { reconciliationId: string }) => r.reconciliationId), nextPageToken: page.body.nextPageToken };
    });
    expect(whole).toEqual({ items: runs, pages: 3 });
    const unasked = await api.get(list, finance);
    expect(unasked.body.reconciliations).toHaveLength(5);
    expect(unasked.body).not.toHaveProperty("nextPageToken");

    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "1", "run-x"])).toString("base64url");
    for (const [query, field] of [["pageToken=not-a-token", "pageToken"], [`pageToken=${forged}`, "pageToken"], ["pageSize=401", "pageSize"]]) {
      const refused = await api.get(`${list}&${query}`, finance);
      expectProblem(refused, 400, "validation.failed");
      expect(refused.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });
});
