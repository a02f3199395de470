import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent, systemActor } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskEventsOf, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// An accepted repair or maintenance case becomes a visit (ADR 025), through the topics and
// gRPC on real Postgres, Redis and Kafka: created once however often the acceptance comes,
// assigned by the service path's rules with the case's handler first, worked step by step,
// ended by its report (told to the case, not to the order), and called off by a resolution.
let under: DispatchUnderTest;
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest({ stepDeadlines: { arrivalGraceMs: 3_600_000, reportGraceMs: 3_600_000, escalateAfterMs: 3_600_000 } });
  ({ namespace, dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const staff = (id: string) => ({ kind: "staff", id, role: "service-staff" });
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const agent = { kind: "staff" as const, id: "cs-1", role: "customer-service" };

function fromAfterSales(storeId: string, orderId: string) {
  const origin = { producer: "after-sales" as const, orderId, storeId, actor: agent };
  return {
    accepted: (caseId: string, kind: string, assigneeStaffId: string) =>
      newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId, note: "", kind, lines: [{ sku: "AC-1", quantity: 1 }] }, origin),
    resolved: (caseId: string, kind: string) => newEvent(EventTypes.CaseResolved, { caseId, kind, resolution: "exchanged instead", cause: "product", refundMinor: 0 }, origin),
  };
}

/** A store whose order was an installation dispatch did (and closed), with two installers. */
async function installedOrder() {
  const storeId = randomStore();
  const [busy, idle] = [`${storeId}-busy`, `${storeId}-idle`];
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, busy, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }], regions: ["Xuhui"] }),
    staffMember(storeId, idle, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }], regions: ["Xuhui"] }),
  ]);
  const install = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"], region: "Xuhui" });
  const orderId = install.orderId;
  const fulfillment = { producer: "fulfillment" as const, orderId, storeId, actor: systemActor("fulfillment") };
  const delivered = newEvent(EventTypes.DeliveryRecorded, { deliveredAt: new Date().toISOString(), place: "home", method: "on-site", deliveredBy: busy, proofKind: "service-report", proofRef: "r-0", collectedMinor: 0, reservationId: "", taskId: "" }, fulfillment);
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [install]);
  await eventually(async () => ((await under.query.getTask({ taskId: install.payload.taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [delivered]);
  await eventually(async () => ((await under.query.getTask({ taskId: install.payload.taskId })).status === "done" ? true : undefined));
  // Another order's installation keeps one installer busy, so fair assignment alone would pick the other.
  const other = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"], region: "Xuhui" });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [other]);
  const holder = await eventually(async () => {
    const view = await under.query.getTask({ taskId: other.payload.taskId }).catch(() => undefined);
    return view?.status === "assigned" ? view.staffId : undefined;
  });
  return { storeId, orderId, holder, free: holder === busy ? idle : busy, delivered };
}

describe("an after-sales visit", () => {
  it("is created once from the acceptance, goes to the case's handler, runs the service path and ends with its report, told to the case", async () => {
    const { storeId, orderId, holder, delivered } = await installedOrder();
    const caseId = `case-${randomUUID()}`;
    const taskId = afterSalesVisitTaskId(caseId);
    const cases = fromAfterSales(storeId, orderId);
    const acceptance = cases.accepted(caseId, "repair", holder);
    // Redelivered, and the same case announced again under another event id: one task.
    await publishEvents(namespace.name, Topics.afterSalesCase, [acceptance, acceptance, cases.accepted(caseId, "repair", holder), cases.accepted(`return-${caseId}`, "return", holder)]);
    const assigned = await eventually(async () => {
      const view = await under.query.getTask({ taskId }).catch(() => undefined);
      return view?.status === "assigned" ? view : undefined;
    });
    // The handler is preferred though they hold more work; the district and skills are the order's service's.
    expect(assigned).toMatchObject({ orderId, storeId, staffId: holder, region: "Xuhui", origin: "after-sales", caseId, caseKind: "repair", goods: [{ sku: "AC-1", quantity: 1 }] });
    const { rows } = await dispatch.runtime.pool.query("SELECT task_id, skills, priority FROM tasks WHERE case_id IS NOT NULL AND order_id = $1", [orderId]);
    expect(rows).toEqual([{ task_id: taskId, skills: ["installation"], priority: 50 }]);

    // The order's own events are not about the visit: a delivery recorded again leaves it open.
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [{ ...delivered, eventId: randomUUID() }]);
    await under.commands.acknowledgeTask({ taskId, caller: staff(holder), correlationId: "" });
    const base = { taskId, caller: staff(holder), correlationId: "corr-visit" };
    await under.commands.confirmAppointment({ ...base, appointmentFrom: minutesFromNow(-10), appointmentUntil: minutesFromNow(50), siteSurveyNeeded: false, needs: "the unit drips water", toolsAndMaterials: ["drain pump"] });
    expect((await under.commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" })).status).toBe("in-progress");
    await under.commands.writeServiceRecord({ ...base, recordId: `${taskId}/record/0`, startedAt: minutesFromNow(-5), finishedAt: minutesFromNow(0), content: "replaced the drain pump, tested 20 minutes", customerRemarks: "", photoRefs: [] });
    const refused = await under.commands.submitServiceReport({ ...base, checklist: [{ item: "no leaks", passed: true, note: "" }], attachmentRefs: [], collectedMinor: 500 }).catch((e: unknown) => e);
    expect(String(refused)).toMatch(/collectedMinor/);
    const reported = await under.commands.submitServiceReport({ ...base, checklist: [{ item: "no leaks", passed: true, note: "" }], attachmentRefs: ["after.jpg"], collectedMinor: 0 });
    expect(reported).toMatchObject({ status: "done", service: { reports: [{ outcome: "accepted" }] } });

    const events = await eventually(async () => {
      const seen = await taskEventsOf(under, taskId);
      return seen.some((e) => e.type === EventTypes.AfterSalesVisitReported) ? seen : undefined;
    });
    expect(events.map((e) => e.type)).not.toContain(EventTypes.ServiceReportSubmitted);
    expect(events.find((e) => e.type === EventTypes.AfterSalesVisitReported)).toMatchObject({
      orderId,
      correlationId: "corr-visit",
      payload: { taskId, caseId, staffId: holder, summary: "replaced the drain pump, tested 20 minutes", recordId: `${taskId}/record/0`, attachmentRefs: ["after.jpg"] },
    });
    // The visit no longer counts against its technician.
    const { rows: active } = await dispatch.runtime.pool.query("SELECT count(*)::int AS n FROM tasks WHERE assignee_staff_id = $1 AND status IN ('assigned', 'acknowledged', 'in-progress', 'reported') AND origin = 'after-sales'", [holder]);
    expect(active[0].n).toBe(0);
  });

  it("goes to someone eligible when the handler is not a technician, and is called off when its case is resolved first", async () => {
    const { storeId, orderId, holder, free } = await installedOrder();
    const caseId = `case-${randomUUID()}`;
    const taskId = afterSalesVisitTaskId(caseId);
    const cases = fromAfterSales(storeId, orderId);
    await publishEvents(namespace.name, Topics.afterSalesCase, [cases.accepted(caseId, "maintenance", "cs-1")]);
    const assigned = await eventually(async () => {
      const view = await under.query.getTask({ taskId }).catch(() => undefined);
      return view?.status === "assigned" ? view : undefined;
    });
    // The least loaded installer: the one not busy with another order's installation.
    expect(assigned.staffId).toBe(free);
    expect(assigned.staffId).not.toBe(holder);
    await publishEvents(namespace.name, Topics.afterSalesCase, [cases.resolved(caseId, "maintenance")]);
    await eventually(async () => ((await under.query.getTask({ taskId })).status === "cancelled" ? true : undefined));
  });
});
