import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { callerHeaders, eventually, publishEvents, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { afterSalesClients, agent as deskAgent, knownOrder, newStore, openRequest, unseen } from "../../services/after-sales/src/test-fixtures.ts";
import { httpClient } from "../../services/intake/src/test-fixtures.ts";
import { startIntakeWithAfterSales, type IntakeWithAfterSales } from "../support/intake-with-after-sales.ts";

// A replacement late to ship (ADR 030, sixth addendum) through intake's REST API, on the real
// after-sales: the desk sees it on the case with who was warned and lists the store's late ones
// (replacementLate=true); the customer sees only that it is late, since when and by when it was
// due; the report counts it; a wrong filter is refused naming the field.
let namespace: TestNamespace;
let afterSales: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
let system: IntakeWithAfterSales;
const storeId = newStore();
const desk = `staff:cs-1:customer-service@${storeId}`;
const staffOnly = { kind: "staff", id: "cs-1", role: "customer-service" } as const;

beforeAll(async () => {
  system = await startIntakeWithAfterSales();
  ({ namespace, afterSales, api, cases } = system);
});

afterAll(() => system?.stop());

describe("intake: a late replacement on the case", () => {
  it("shows the desk the escalation and lists it, the customer only that it is late and by when, and counts it in the report", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
    await cases.commands.openCase(ask);
    await cases.commands.acceptCase({ caseId: ask.caseId, caller: deskAgent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    const origin = { producer: "warehouse", orderId, storeId };
    const dueAt = "2026-12-07T10:00:00.000Z";
    const reserved = newEvent(EventTypes.ReplacementReserved, { caseId: ask.caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "A-01" }] }, { ...origin, actor: staffOnly });
    const escalated = newEvent(
      EventTypes.ReplacementShipOverdue,
      { caseId: ask.caseId, level: 2, dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", storeId, step: "ship" },
      { ...origin, actor: { kind: "system", id: "warehouse", role: "" } },
    );
    await publishEvents(namespace.name, Topics.warehouseStock, [reserved, escalated]);
    await eventually(async () => ((await cases.query.getCase({ caseId: ask.caseId, ...unseen })).replacementLate ? true : undefined));

    const path = `/v1/after-sales-cases/${encodeURIComponent(ask.caseId)}`;
    const toDesk = await api.get(path, callerHeaders(desk));
    expect(toDesk.status, JSON.stringify(toDesk.body)).toBe(200);
    expect(toDesk.body.replacementLate).toEqual({ since: escalated.occurredAt.toISOString(), dueAt, level: 2, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", step: "ship" });
    const toCustomer = await api.get(path, callerHeaders("customer:c-42"));
    expect(toCustomer.status, JSON.stringify(toCustomer.body)).toBe(200);
    expect(toCustomer.body.replacementLate).toEqual({ since: escalated.occurredAt.toISOString(), dueAt, level: 0, responsibleRole: "", escalatedToRole: "", step: "" });

    const listed = await api.get(`/v1/after-sales-cases?storeId=${storeId}&replacementLate=true`, callerHeaders(desk));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([ask.caseId]);

    const from = new Date(Date.now() - 3600_000).toISOString();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const report = await api.get(`/v1/stores/${storeId}/after-sales-report?from=${from}&until=${until}`, callerHeaders(`staff:m-1:store-manager@${storeId}`));
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ replacementsLate: 1, replacementsEscalated: 1 });
  });

  it("refuses a wrong filter naming it, and the late list without a store", async () => {
    const fieldsOf = (answer: { status: number; body: { errors?: { field: string }[] } }) => [answer.status, (answer.body.errors ?? []).map((e) => e.field)];
    expect(fieldsOf(await api.get(`/v1/after-sales-cases?storeId=${storeId}&replacementLate=yes`, callerHeaders(desk)))).toEqual([400, ["replacementLate"]]);
    expect(fieldsOf(await api.get("/v1/after-sales-cases?refundShortfall=true&replacementLate=true", callerHeaders("staff:cs-9:customer-service")))).toEqual([400, ["storeId"]]);
  });
});
