import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent } from "@oms/contracts";
import { IllegalStateError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskEventsOf, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// A repair visit the customer rejected (ADR 025, rework addendum), through the case topic and
// gRPC on real Postgres, Redis and Kafka: dispatch's `dispatch-after-sales` group reopens the
// done visit for the round VisitRejected names — once, however often it is heard — its
// technician offered it first though busier, arrived at anew after a new appointment whose report
// deadline is watched again; the round's report ends it with AfterSalesVisitReported naming the round.
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

const technician = (storeId: string, staffId: string) => staffMember(storeId, staffId, { roles: ["service-staff"], skills: [{ skill: "repair", level: 2 }], regions: ["Xuhui"] });

/**
 * A repair case's visit, its handler customer service (no technician), so it goes to the store's
 * only technician so far: only the rework's own preference can bring it back to them later.
 */
async function repairVisit() {
  const storeId = randomStore();
  const [named, other] = [`${storeId}-named`, `${storeId}-other`];
  await upsertStaff(dispatch.runtime.pool, "dispatch", [technician(storeId, named)]);
  // The order's own delivery (nobody here delivers: it waits) gives the visit its district.
  const order = assignmentRequested(storeId, { region: "Xuhui" });
  const orderId = order.orderId;
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [order]);
  await eventually(async () => ((await under.query.getTask({ taskId: order.payload.taskId }).catch(() => undefined)) ? true : undefined));
  const caseId = `case-${randomUUID()}`;
  const taskId = afterSalesVisitTaskId(caseId);
  const origin = { producer: "after-sales" as const, orderId, storeId, actor: agent };
  await publishEvents(namespace.name, Topics.afterSalesCase, [newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: agent.id, note: "", kind: "repair", lines: [{ sku: "KETTLE-1", quantity: 1 }] }, origin)]);
  await eventually(async () => ((await under.query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  const rejected = (round: number) =>
    newEvent(EventTypes.VisitRejected, { caseId, taskId, round, rejectedReportId: "", sealedReason: Buffer.from("sealed bytes no service here opens") }, { ...origin, actor: { kind: "customer", id: "c-1", role: "customer" } });
  return { storeId, orderId, caseId, taskId, named, other, rejected, resolved: newEvent(EventTypes.CaseResolved, { caseId, kind: "repair", resolution: "refunded", cause: "product", refundMinor: 0 }, origin) };
}

/** The visit's round worked by `who` through the task routes to its report. */
async function workRound(taskId: string, who: string, round: number) {
  const base = { taskId, caller: staff(who), correlationId: `corr-round-${round}` };
  await under.commands.acknowledgeTask({ taskId, caller: staff(who), correlationId: "" });
  await under.commands.confirmAppointment({ ...base, appointmentFrom: minutesFromNow(-10), appointmentUntil: minutesFromNow(50), siteSurveyNeeded: false, needs: "the kettle does not heat", toolsAndMaterials: [] });
  expect((await under.commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" })).status).toBe("in-progress");
  await under.commands.writeServiceRecord({ ...base, recordId: `${taskId}/record/${round}`, startedAt: minutesFromNow(-5), finishedAt: minutesFromNow(0), content: `round ${round}: replaced the thermostat`, customerRemarks: "", photoRefs: [] });
  return under.commands.submitServiceReport({ ...base, checklist: [{ item: "heats", passed: true, note: "" }], attachmentRefs: [], collectedMinor: 0 });
}

describe("a rejected after-sales visit", () => {
  it("is reopened once for the round, offered to its technician first, visited and reported anew", async () => {
    const { storeId, taskId, named, other, rejected } = await repairVisit();
    expect(await workRound(taskId, named, 0)).toMatchObject({ status: "done" });
    // The technician is busier now than a second one hired since: fair assignment alone would pick the second.
    const busy = assignmentRequested(storeId, { taskKind: "service", skills: ["repair"], region: "Xuhui" });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [busy]);
    await eventually(async () => ((await under.query.getTask({ taskId: busy.payload.taskId }).catch(() => undefined))?.staffId === named ? true : undefined));
    await upsertStaff(dispatch.runtime.pool, "dispatch", [technician(storeId, other)]);

    // Heard twice, and a stale rejection of round 2: one round opened.
    const rejection = rejected(1);
    await publishEvents(namespace.name, Topics.afterSalesCase, [rejection, rejection, rejected(1), rejected(3)]);
    const reassigned = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" && view.service?.round === 1 ? view : undefined;
    });
    expect(reassigned.staffId).toBe(named);
    expect(reassigned.service).toMatchObject({ round: 1, checkedInAt: "", reports: [{ round: 0, outcome: "rework" }] });

    // The refused round's appointment is kept only to number the next one: no arrival on it before a new one is agreed.
    await under.commands.acknowledgeTask({ taskId, caller: staff(named), correlationId: "" });
    await expect(under.commands.checkIn({ taskId, caller: staff(named), correlationId: "corr-early", at: "", lateCause: "", lateMeasure: "" })).rejects.toMatchObject({
      constructor: IllegalStateError,
      code: "dispatch.no-appointment",
    });

    const done = await workRound(taskId, named, 1);
    expect(done).toMatchObject({ status: "done", service: { round: 1 } });
    expect(done.service?.reports.map((r) => [r.round, r.outcome])).toEqual([
      [0, "rework"],
      [1, "accepted"],
    ]);
    // The new appointment watched the report again, and the report met it.
    const { rows } = await dispatch.runtime.pool.query("SELECT version, met_at IS NOT NULL AS met FROM step_deadlines WHERE task_id = $1 AND step = 'report'", [taskId]);
    expect(rows).toEqual([{ version: 2, met: true }]);

    const events = await eventually(async () => {
      const seen = await taskEventsOf(under, taskId);
      return seen.filter((e) => e.type === EventTypes.AfterSalesVisitReported).length === 2 ? seen : undefined;
    });
    expect(events.filter((e) => e.type === EventTypes.AfterSalesVisitReported).map((e) => (e.payload as { round: number }).round)).toEqual([0, 1]);
    const reworks = events.filter((e) => e.type === EventTypes.ServiceReworkStarted);
    expect(reworks).toHaveLength(1);
    expect(reworks[0]!.payload).toMatchObject({ taskId, staffId: named, round: 1 });
    expect(JSON.stringify(reworks[0]!.payload)).not.toMatch(/sealed bytes/);
    expect(events.map((e) => e.type)).not.toContain(EventTypes.ServiceReportSubmitted);
  });

  it("is offered anew to someone who declined the refused round, when its technician can no longer take it", async () => {
    const { storeId, taskId, named, other, rejected } = await repairVisit();
    // The first round: the store's technician declined it (away that week) and a second one hired since did it.
    await upsertStaff(dispatch.runtime.pool, "dispatch", [technician(storeId, other)]);
    await under.commands.declineTask({ taskId, caller: staff(named), reason: "away that week", correlationId: "" });
    await eventually(async () => ((await under.query.getTask({ taskId })).staffId === other ? true : undefined));
    expect(await workRound(taskId, other, 0)).toMatchObject({ status: "done" });
    // The one who did it has left; the visit of the new round is a new visit on another day, open to whoever declined the old one.
    await upsertStaff(dispatch.runtime.pool, "dispatch", [{ ...technician(storeId, other), active: false }]);
    await publishEvents(namespace.name, Topics.afterSalesCase, [rejected(1)]);
    const reopened = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.service?.round === 1 ? view : undefined;
    });
    expect(reopened.excludedStaffIds).toEqual([]);
    const reassigned = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" ? view : undefined;
    }, 5_000);
    expect(reassigned.staffId).toBe(named);
  });

  it("is not reopened before its report, nor once its case was resolved", async () => {
    const { taskId, rejected, resolved } = await repairVisit();
    await publishEvents(namespace.name, Topics.afterSalesCase, [rejected(1)]);
    await publishEvents(namespace.name, Topics.afterSalesCase, [resolved]);
    await eventually(async () => ((await under.query.getTask({ taskId })).status === "cancelled" ? true : undefined));
    await publishEvents(namespace.name, Topics.afterSalesCase, [{ ...rejected(1), eventId: randomUUID() }]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await under.query.getTask({ taskId })).toMatchObject({ status: "cancelled", service: { round: 0 } });
  });

  it("is called off when its case is resolved while the round is open, freeing whoever took it", async () => {
    const { taskId, named, rejected, resolved } = await repairVisit();
    await workRound(taskId, named, 0);
    await publishEvents(namespace.name, Topics.afterSalesCase, [rejected(1)]);
    await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" && view.service?.round === 1 ? true : undefined;
    });
    await publishEvents(namespace.name, Topics.afterSalesCase, [resolved]);
    await eventually(async () => ((await under.query.getTask({ taskId })).status === "cancelled" ? true : undefined));
    // The technician who took the new round holds no open assignment of it any more.
    const { rows } = await dispatch.runtime.pool.query("SELECT count(*)::int AS n FROM assignments WHERE task_id = $1 AND staff_id = $2 AND outcome IN ('open', 'acknowledged')", [taskId, named]);
    expect(rows[0].n).toBe(0);
  });
});
