import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// Claims against the carrier (ADR 017, carrier-claim addendum) through intake's REST API, on
// the real after-sales: the desk files the claim on a case resolved with cause carrier, the
// desk or finance records the carrier's answer, each held to their stores; other roles are
// refused; bad input is refused naming the field; an unknown case is 404; the report shows the
// claims; the customer reads their case without the claim.
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const storeId = newStore();
const otherStore = newStore();
const desk = "staff:cs-1:customer-service";

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

/** A return resolved with cause carrier at the store; its order (kettles and cups) costs 30,000 CNY. */
async function resolvedByCarrier(store = storeId): Promise<string> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId: store, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await cases.commands.resolveCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 0 });
  return ask.caseId;
}

const claimPath = (caseId: string, step = "") => `/v1/after-sales-cases/${encodeURIComponent(caseId)}/carrier-claim${step}`;
const file = (caseId: string, who: string, body: object = { carrier: "SF Express", carrierReference: "SF1234567890", amountMinor: 12_000 }) =>
  api.post(claimPath(caseId), body, callerHeaders(who));
const settle = (caseId: string, who: string, body: object = { recoveredMinor: 8_000 }) => api.post(claimPath(caseId, "/settlement"), body, callerHeaders(who));
const reject = (caseId: string, who: string, body: object = { reason: "packed without padding" }) => api.post(claimPath(caseId, "/rejection"), body, callerHeaders(who));

describe("intake: claims against the carrier", () => {
  it("lets the desk file the claim and finance record the settlement, shown on the case to the desk, not to the customer, and counted in the report", async () => {
    const caseId = await resolvedByCarrier();
    const filed = await file(caseId, `staff:sv-1:supervisor@${storeId}`);
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.carrierClaim).toMatchObject({ status: "filed", carrier: "SF Express", carrierReference: "SF1234567890", claimedMinor: 12_000, currency: "CNY", filedBy: "staff:sv-1" });
    expect(filed.body.carrierClaim.followUpBy).not.toBe("");

    const settled = await settle(caseId, `staff:fin-2:finance@${storeId}`);
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body.carrierClaim).toMatchObject({ status: "settled", recoveredMinor: 8_000, closedBy: "staff:fin-2", followUpBy: "" });
    expect(settled.body.description).toBe("");

    const shown = await api.get(`/v1/after-sales-cases/${encodeURIComponent(caseId)}`, callerHeaders(desk));
    expect(shown.body.carrierClaim).toEqual(settled.body.carrierClaim);
    const toCustomer = await api.get(`/v1/after-sales-cases/${encodeURIComponent(caseId)}`, callerHeaders("customer:c-42"));
    expect(toCustomer.status, JSON.stringify(toCustomer.body)).toBe(200);
    expect(toCustomer.body).not.toHaveProperty("carrierClaim");

    const from = new Date(Date.now() - 3600_000).toISOString();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const report = await api.get(`/v1/stores/${storeId}/after-sales-report?from=${from}&until=${until}`, callerHeaders("staff:m-1:store-manager"));
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ carrierClaimsFiled: 1, carrierClaimsSettled: 1, carrierClaimsRejected: 0, carrierClaimedMinor: 12_000, carrierRecoveredMinor: 8_000 });
  });

  it("keeps the claim from the customer when their retried opening answers the case as it now stands", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1, customerId: "c-retry" });
    const ask = { caseId: `case-${randomUUID()}`, kind: "return", channel: "online", description: "the kettle arrived crushed", lines: [{ sku: "KETTLE-1", quantity: 1 }] };
    const opened = await api.post(`/v1/orders/${orderId}/after-sales-cases`, ask, callerHeaders("customer:c-retry"));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    await cases.commands.resolveCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 0 });
    expect((await file(ask.caseId, desk)).status).toBe(200);

    // The customer's app sends its opening again (a lost answer, an offline queue): the case as it stands, without the chain's claim.
    const retried = await api.post(`/v1/orders/${orderId}/after-sales-cases`, ask, callerHeaders("customer:c-retry"));
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body).toMatchObject({ caseId: ask.caseId, status: "resolved" });
    expect(retried.body).not.toHaveProperty("carrierClaim");
  });

  it("refuses roles the claim is not for, and staff of another store", async () => {
    const caseId = await resolvedByCarrier();
    for (const who of ["staff:fin-1:finance", "staff:ot-1:order-taker", "staff:r-1:rider", "staff:a-1:auditor", "customer:c-42", ""]) {
      expect((await file(caseId, who)).status, who).toBe(403);
    }
    expect(await file(caseId, "staff:fin-1:finance")).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await file(caseId, `staff:cs-2:customer-service@${otherStore}`)).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });

    expect((await file(caseId, desk)).status).toBe(200);
    for (const who of ["staff:ot-1:order-taker", "staff:a-1:auditor", "customer:c-42"]) {
      expect((await settle(caseId, who)).status, who).toBe(403);
      expect((await reject(caseId, who)).status, who).toBe(403);
    }
    expect(await settle(caseId, `staff:fin-3:finance@${otherStore}`)).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    const rejected = await reject(caseId, "staff:fin-1:finance");
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.carrierClaim).toMatchObject({ status: "rejected", rejectionReason: "packed without padding" });
  });

  it("refuses bad input naming the field, an unknown case with 404, and a case or claim in the wrong state with 409", async () => {
    const caseId = await resolvedByCarrier();
    const fieldsOf = (answer: { status: number; body: { errors?: { field: string }[] } }) => [answer.status, (answer.body.errors ?? []).map((e) => e.field)];
    expect(fieldsOf(await file(caseId, desk, { carrierReference: "SF1", amountMinor: 100 }))).toEqual([400, ["carrier"]]);
    expect(fieldsOf(await file(caseId, desk, { carrier: "SF Express", amountMinor: 0 }))).toEqual([400, ["amountMinor"]]);
    expect(fieldsOf(await file(caseId, desk, { carrier: "SF Express", amountMinor: "12000" }))).toEqual([400, ["amountMinor"]]);
    expect(fieldsOf(await file(caseId, desk, { carrier: "SF Express", amountMinor: 100, tip: 1 }))[0]).toBe(400);
    // Beyond the order's total: after-sales' own bound, named as well.
    expect(fieldsOf(await file(caseId, desk, { carrier: "SF Express", amountMinor: 30_001 }))).toEqual([400, ["amountMinor"]]);
    expect(await settle(caseId, desk)).toMatchObject({ status: 409, body: { code: "after-sales.no-carrier-claim" } });

    expect((await file(caseId, desk, { carrier: "SF Express", amountMinor: 5_000 })).status).toBe(200);
    expect(await file(caseId, desk, { carrier: "ZTO", amountMinor: 5_000 })).toMatchObject({ status: 409, body: { code: "after-sales.carrier-claim-already-filed" } });
    expect(fieldsOf(await settle(caseId, desk, { recoveredMinor: -1 }))).toEqual([400, ["recoveredMinor"]]);
    expect(fieldsOf(await settle(caseId, desk, { recoveredMinor: 5_001 }))).toEqual([400, ["recoveredMinor"]]);
    expect(fieldsOf(await reject(caseId, desk, { reason: "  " }))).toEqual([400, ["reason"]]);

    expect(await file("case-nobody-has", desk)).toMatchObject({ status: 404, body: { code: "after-sales.case-not-found" } });
    expect(await settle("case-nobody-has", "staff:fin-1:finance")).toMatchObject({ status: 404, body: { code: "after-sales.case-not-found" } });

    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const open = openRequest(orderId);
    await cases.commands.openCase(open);
    expect(await file(open.caseId, desk)).toMatchObject({ status: 409, body: { code: "after-sales.case-not-resolved" } });
  });
});
