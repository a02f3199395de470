import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders, eventually, publishEvents, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest, unseen } from "../../services/after-sales/src/test-fixtures.ts";
import { expectProblem, httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// What a customer may claim and see of their after-sales case (ADR 017, twenty-sixth-session
// addendum), through intake's REST API on the real after-sales: a customer's own case is opened
// online, a call, an e-mail or a counter visit being the desk's to record (400 naming channel,
// nothing written); and the case as the customer reads it names no member of staff by their id,
// where the desk reading the same case sees every one.
let namespace: TestNamespace;
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const storeId = newStore();
const customerId = "c-claims-1";
const owner = `customer:${customerId}`;
const desk = "staff:cs-2:customer-service";

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ namespace, afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

const ownersOrder = () => knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 2, customerId });
const opening = (orderId: string, who: string, channel: string) =>
  api.post(`/v1/orders/${orderId}/after-sales-cases`, { caseId: `case-${randomUUID()}`, kind: "return", channel, description: "the kettle leaks", lines: [{ sku: "KETTLE-1", quantity: 1 }] }, callerHeaders(who));
const caseAs = (caseId: string, who: string) => api.get(`/v1/after-sales-cases/${encodeURIComponent(caseId)}`, callerHeaders(who));

/** dispatch's report of the visit's round, published as dispatch announces it. */
async function visitReported(caseId: string, orderId: string, round: number): Promise<void> {
  const origin = { producer: "dispatch" as const, orderId, storeId, actor: { kind: "staff", id: "tech-1", role: "service-staff" } as const };
  const report = { taskId: afterSalesVisitTaskId(caseId), caseId, reportId: `rep-${randomUUID()}`, staffId: "tech-1", submittedAt: new Date().toISOString(), summary: `fixed, round ${round}`, recordId: `rec-${round}`, attachmentRefs: [], round };
  await publishEvents(namespace.name, Topics.dispatchAssignment, [newEvent(EventTypes.AfterSalesVisitReported, report, origin)]);
  await eventually(async () => {
    const seen = await cases.query.getCase({ caseId, ...unseen });
    return seen.visitStatus === "done" && seen.visitRound === round ? true : undefined;
  });
}

describe("intake: what a customer may claim of their case", () => {
  it("refuses a customer's own case on a store channel with a 400 naming channel and writing nothing; online it opens, and the desk records any channel", async () => {
    const orderId = await ownersOrder();
    for (const channel of ["phone", "email", "store-counter"]) {
      const claimed = await opening(orderId, owner, channel);
      expectProblem(claimed, 400);
      expect(claimed.body.errors).toEqual([{ field: "channel", message: expect.stringContaining("a customer's own case uses the channel online") }]);
    }
    const listed = await api.get(`/v1/after-sales-cases?orderId=${orderId}`, callerHeaders(desk));
    expect(listed.body.cases).toEqual([]);

    const online = await opening(orderId, owner, "online");
    expect(online.status, JSON.stringify(online.body)).toBe(201);
    expect(online.body).toMatchObject({ channel: "online", openedBy: "customer" });
    const atTheCounter = await opening(await ownersOrder(), desk, "store-counter");
    expect(atTheCounter.status, JSON.stringify(atTheCounter.body)).toBe(201);
    expect(atTheCounter.body).toMatchObject({ channel: "store-counter", openedBy: "staff:cs-2" });
  });
});

describe("intake: what a customer sees of their case", () => {
  it("names the staff who opened, decided, visited, rejected for them and resolved only as the store; the desk reads their ids", async () => {
    const orderId = await ownersOrder();
    const ask = openRequest(orderId, { kind: "repair", channel: "phone", description: "the kettle does not heat" });
    await cases.commands.openCase(ask);
    const { caseId } = ask;
    await cases.commands.acceptCase({ caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "tech-1", note: "technician visits" });
    await visitReported(caseId, orderId, 0);
    expect((await api.post(`/v1/after-sales-cases/${encodeURIComponent(caseId)}/visit-rejection`, { reason: "customer called: still cold", round: 0 }, callerHeaders(desk))).status).toBe(200);
    await visitReported(caseId, orderId, 1);
    await cases.commands.resolveCase({ caseId, caller: deskAgent, correlationId: "", resolution: "repaired on site", cause: "product", refundMinor: 0 });

    const staffView = await caseAs(caseId, desk);
    expect(staffView.status, JSON.stringify(staffView.body)).toBe(200);
    expect(staffView.body).toMatchObject({ openedBy: "staff:cs-1", assigneeStaffId: "tech-1", decidedBy: "staff:cs-1", decisionNote: "technician visits", resolvedBy: "staff:cs-1", visitDoneBy: "tech-1" });
    expect(staffView.body.visitRounds).toMatchObject([{ reportedBy: "tech-1", rejectedBy: "staff:cs-2" }, { reportedBy: "tech-1", rejectedBy: "" }]);

    const seen = await caseAs(caseId, owner);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body).toMatchObject({
      status: "resolved",
      openedBy: "store",
      assigneeStaffId: "",
      decidedBy: "store",
      // The desk's note on accepting is its own (ADR 017, twenty-seventh-session addendum).
      decisionNote: "",
      resolvedBy: "store",
      resolution: "repaired on site",
      visitStaffId: "",
      visitDoneBy: "store",
      visitSummary: "fixed, round 1",
    });
    expect(seen.body.visitRounds).toMatchObject([
      { round: 0, reportedBy: "store", summary: "fixed, round 0", rejectedBy: "store", rejectionReason: "customer called: still cold" },
      { round: 1, reportedBy: "store", summary: "fixed, round 1", rejectedBy: "" },
    ]);
    for (const staffId of ["tech-1", "cs-1", "cs-2"]) expect(JSON.stringify(seen.body), staffId).not.toContain(staffId);
  });
});

describe("intake: a case's id tells staff of another role nothing (ADR 022, twenty-seventh session)", () => {
  it("refuses a store-scoped caller whose role may not take the step alike for another store's case and one nobody opened", async () => {
    // Case ids are the caller's own (a desk's counter, say), so they can be guessed.
    const orderId = await ownersOrder();
    const opened = await opening(orderId, desk, "phone");
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const rider = callerHeaders(`staff:r-1:rider@${storeId}-elsewhere`);
    for (const caseId of [opened.body.caseId as string, `case-${randomUUID()}`]) {
      const path = `/v1/after-sales-cases/${encodeURIComponent(caseId)}`;
      expectProblem(await api.get(path, rider), 403, "caller.not-permitted");
      expectProblem(await api.post(`${path}/acceptance`, { note: "on it" }, rider), 403, "caller.not-permitted");
      expectProblem(await api.post(`${path}/carrier-claim`, { claimId: "cl-1", carrier: "SF Express", amountMinor: 100, reason: "crushed" }, rider), 403, "caller.not-permitted");
      expectProblem(await api.get(`${path}/disclosures`, rider), 403, "caller.not-permitted");
    }
    // The desk of that other store is still told the case is not theirs (the store scope's answer).
    expectProblem(await api.get(`/v1/after-sales-cases/${encodeURIComponent(opened.body.caseId as string)}`, callerHeaders(`staff:cs-9:customer-service@${storeId}-elsewhere`)), 403, "caller.out-of-store-scope");
  });
});
