import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders, eventually, publishEvents, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest, unseen } from "../../services/after-sales/src/test-fixtures.ts";
import { expectProblem, httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// A repair the customer says did not fix it (ADR 025, rework addendum) through intake's REST
// API on the real after-sales: the customer rejects their own case's visit report with a
// reason, or the desk records it for them; another account's customer is answered as for an
// unknown case and nothing is written; other roles are refused; a malformed body is a 400
// naming the field; a second rejection of the round is a 409 naming why.
let namespace: TestNamespace;
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const storeId = newStore();
const owner = "customer:c-rework-1";
const reason = "Still cold after a day; call me on 137 0000 1111";

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ namespace, afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

/** A repair of the owner's order, accepted and visited: dispatch's report published as dispatch announces it. */
async function reportedRepair(): Promise<string> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 20, customerId: "c-rework-1" });
  const ask = openRequest(orderId, { kind: "repair", description: "the kettle does not heat" });
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "tech-1", note: "" });
  const origin = { producer: "dispatch" as const, orderId, storeId, actor: { kind: "staff", id: "tech-1", role: "service-staff" } as const };
  const report = { taskId: afterSalesVisitTaskId(ask.caseId), caseId: ask.caseId, reportId: `rep-${randomUUID()}`, staffId: "tech-1", submittedAt: new Date().toISOString(), summary: "new thermostat", recordId: "rec-0", attachmentRefs: [], round: 0 };
  await publishEvents(namespace.name, Topics.dispatchAssignment, [newEvent(EventTypes.AfterSalesVisitReported, report, origin)]);
  await eventually(async () => ((await cases.query.getCase({ caseId: ask.caseId, ...unseen })).visitStatus === "done" ? true : undefined));
  return ask.caseId;
}

const rejectionPath = (caseId: string) => `/v1/after-sales-cases/${encodeURIComponent(caseId)}/visit-rejection`;
const reject = (caseId: string, who: string, body: object = { reason }) => api.post(rejectionPath(caseId), body, callerHeaders(who));
const fieldsOf = (answer: { status: number; body: { errors?: { field: string }[] } }) => [answer.status, (answer.body.errors ?? []).map((e) => e.field)];
const roundOf = async (caseId: string) => (await cases.query.getCase({ caseId, ...unseen })).visitRound;

describe("intake: rejecting a repair visit's report", () => {
  it("lets the customer reject their own case's report once a round, shown their reason back; a second rejection is a 409 naming why", async () => {
    const caseId = await reportedRepair();
    const rejected = await reject(caseId, owner);
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ caseId, visitStatus: "rework", visitRound: 1 });
    expect(rejected.body.visitRounds[0]).toMatchObject({ round: 0, summary: "new thermostat", rejectedBy: "customer", rejectionReason: reason });
    expect(rejected.body.carrierClaim).toBeUndefined();
    const again = await reject(caseId, owner, { reason: "and it leaks" });
    expectProblem(again, 409, "after-sales.visit-already-rejected");
    expect(again.body.detail).toMatch(/already rejected/);
    // The desk reads it with the reason opened.
    expect((await api.get(`/v1/after-sales-cases/${encodeURIComponent(caseId)}`, callerHeaders("staff:cs-2:customer-service"))).body.visitRounds[0].rejectionReason).toBe(reason);
  });

  it("lets the desk record the rejection for the customer", async () => {
    const caseId = await reportedRepair();
    const rejected = await reject(caseId, "staff:cs-2:customer-service", { reason: "customer called: still cold" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.visitRounds[0]).toMatchObject({ rejectedBy: "staff:cs-2", rejectionReason: "customer called: still cold" });
    // The customer reads who rejected it only in kind: the store, not the desk agent's staff id.
    const seen = await api.get(`/v1/after-sales-cases/${encodeURIComponent(caseId)}`, callerHeaders(owner));
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.visitRounds[0]).toMatchObject({ rejectedBy: "store", rejectionReason: "customer called: still cold" });
    expect(JSON.stringify(seen.body)).not.toContain("cs-2");
  });

  it("takes the round the body names: a retry after the next round's report answers as recorded, a superseded round is a 409 saying so", async () => {
    const caseId = await reportedRepair();
    const first = await reject(caseId, owner, { reason, round: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.visitRounds[0]).toMatchObject({ rejectedBy: "customer" });
    const { orderId } = await cases.query.getCase({ caseId, ...unseen });
    const origin = { producer: "dispatch" as const, orderId, storeId, actor: { kind: "staff", id: "tech-1", role: "service-staff" } as const };
    const report = { taskId: afterSalesVisitTaskId(caseId), caseId, reportId: `rep-${randomUUID()}`, staffId: "tech-1", submittedAt: new Date().toISOString(), summary: "new element", recordId: "rec-1", attachmentRefs: [], round: 1 };
    await publishEvents(namespace.name, Topics.dispatchAssignment, [newEvent(EventTypes.AfterSalesVisitReported, report, origin)]);
    await eventually(async () => ((await cases.query.getCase({ caseId, ...unseen })).visitStatus === "done" ? true : undefined));

    const retried = await reject(caseId, owner, { reason, round: 0 });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ visitStatus: "done", visitRound: 1, visitSummary: "new element" });
    const superseded = await reject(caseId, owner, { reason: "and it leaks", round: 0 });
    expectProblem(superseded, 409, "after-sales.visit-report-superseded");
    expect(superseded.body.detail).toMatch(/superseded/);
    expectProblem(await reject(caseId, owner, { reason, round: -1 }), 400);
    expectProblem(await reject(caseId, owner, { reason, round: 0.5 }), 400);
    // Past what the contract's int32 carries: the field named, not a failure of the call to after-sales.
    expect(fieldsOf(await reject(caseId, owner, { reason, round: 2 ** 31 }))).toEqual([400, ["round"]]);
    expect(await roundOf(caseId)).toBe(1);
  });

  it("lists the store's visits in rework for the desk (inRework=true) and counts the rounds in the store's after-sales report", async () => {
    const from = new Date().toISOString();
    const caseId = await reportedRepair();
    const other = await reportedRepair();
    expect((await reject(caseId, owner, { reason, round: 0 })).status).toBe(200);
    const desk = "staff:cs-2:customer-service";
    const listed = await api.get(`/v1/after-sales-cases?storeId=${storeId}&inRework=true`, callerHeaders(desk));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const ids = listed.body.cases.map((c: { caseId: string }) => c.caseId);
    expect(ids).toContain(caseId);
    expect(ids).not.toContain(other);
    expect(fieldsOf(await api.get(`/v1/after-sales-cases?storeId=${storeId}&inRework=yes`, callerHeaders(desk)))).toEqual([400, ["inRework"]]);
    expect(fieldsOf(await api.get("/v1/after-sales-cases?refundShortfall=true&inRework=true", callerHeaders(desk)))).toEqual([400, ["storeId"]]);

    const until = new Date(Date.now() + 3600_000).toISOString();
    const report = await api.get(`/v1/stores/${storeId}/after-sales-report?from=${from}&until=${until}`, callerHeaders(`staff:m-1:store-manager@${storeId}`));
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ opened: 2, visitReworkRoundsOpened: 1, visitReworkRoundsCompleted: 0 });
  });

  it("answers another account's customer as for an unknown case, refuses other roles and a malformed body, and writes nothing", async () => {
    const caseId = await reportedRepair();
    const unknown = await reject(`case-${randomUUID()}`, owner);
    expectProblem(unknown, 404, "after-sales.case-not-found");
    const notTheirs = await reject(caseId, "customer:c-someone-else");
    expectProblem(notTheirs, 404, "after-sales.case-not-found");
    expectProblem(await reject(caseId, "staff:r-1:rider"), 403, "caller.not-permitted");
    expectProblem(await reject(caseId, "staff:f-1:finance"), 403, "caller.not-permitted");
    expectProblem(await reject(caseId, "customer:anonymous"), 403, "caller.not-permitted");
    const empty = await reject(caseId, owner, {});
    expectProblem(empty, 400);
    expect(JSON.stringify(empty.body)).toMatch(/reason/);
    expectProblem(await reject(caseId, owner, { reason: "x".repeat(2001) }), 400);
    expectProblem(await reject(caseId, owner, { reason, extra: 1 }), 400);
    expect(await roundOf(caseId)).toBe(0);
  });
});
