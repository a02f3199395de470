import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent, systemActor } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// An after-sales visit whose order is held for force majeure (ADR 025's and ADR 027's
// twenty-sixth-session addenda), on real Postgres, Redis and Kafka: a visit reopened for rework
// while the hold lasts waits for it like the order's own tasks — given to nobody, no clock
// running — and is assigned once the order resumes; a visit under way when the hold comes is
// paused with the order's tasks (its acknowledgement deadline called off) and resumed with them.
let under: DispatchUnderTest;
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest({ retryQueuedAfterMs: 300 });
  ({ namespace, dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const staff = (id: string) => ({ kind: "staff", id, role: "service-staff" });
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const agent = { kind: "staff" as const, id: "cs-1", role: "customer-service" };
const technician = (storeId: string, staffId: string) => staffMember(storeId, staffId, { roles: ["service-staff"], skills: [{ skill: "repair", level: 2 }], regions: ["Xuhui"] });

function statusChanged(storeId: string, orderId: string, fromStatus: string, toStatus: string, holdReason = "") {
  return newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus, toStatus, reason: holdReason ? "force majeure: typhoon; work paused" : "work resumes", carrier: "", trackingNumber: "", holdReason },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );
}

async function taskRow(taskId: string) {
  const { rows } = await dispatch.runtime.pool.query<{ held_since: Date | null; hold_round: number }>("SELECT held_since, hold_round FROM tasks WHERE task_id = $1", [taskId]);
  return rows[0]!;
}

/** A repair visit assigned to the store's technician; the order's own delivery (nobody delivers here) waits pending. */
async function repairVisit() {
  const storeId = randomStore();
  const tech = `${storeId}-tech`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [technician(storeId, tech)]);
  const order = assignmentRequested(storeId, { region: "Xuhui" });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [order]);
  await eventually(async () => ((await under.query.getTask({ taskId: order.payload.taskId }).catch(() => undefined)) ? true : undefined));
  const caseId = `case-${randomUUID()}`;
  const taskId = afterSalesVisitTaskId(caseId);
  const origin = { producer: "after-sales" as const, orderId: order.orderId, storeId, actor: agent };
  await publishEvents(namespace.name, Topics.afterSalesCase, [newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: agent.id, note: "", kind: "repair", lines: [{ sku: "KETTLE-1", quantity: 1 }] }, origin)]);
  await eventually(async () => ((await under.query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  const rejected = (round: number) =>
    newEvent(EventTypes.VisitRejected, { caseId, taskId, round, rejectedReportId: "", sealedReason: Buffer.from("sealed") }, { ...origin, actor: { kind: "customer", id: "c-1", role: "customer" } });
  return { storeId, orderId: order.orderId, orderTaskId: order.payload.taskId, taskId, tech, rejected };
}

async function workRound(taskId: string, who: string, round: number) {
  const base = { taskId, caller: staff(who), correlationId: `corr-round-${round}` };
  await under.commands.acknowledgeTask({ taskId, caller: staff(who), correlationId: "" });
  await under.commands.confirmAppointment({ ...base, appointmentFrom: minutesFromNow(-10), appointmentUntil: minutesFromNow(50), siteSurveyNeeded: false, needs: "the kettle does not heat", toolsAndMaterials: [] });
  await under.commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
  await under.commands.writeServiceRecord({ ...base, recordId: `${taskId}/record/${round}`, startedAt: minutesFromNow(-5), finishedAt: minutesFromNow(0), content: `round ${round}`, customerRemarks: "", photoRefs: [] });
  return under.commands.submitServiceReport({ ...base, checklist: [{ item: "heats", passed: true, note: "" }], attachmentRefs: [], collectedMinor: 0 });
}

describe("an after-sales visit of an order held for force majeure", () => {
  it("reopened for rework during the hold, waits for it — given to nobody — and is assigned once the order resumes", async () => {
    const { storeId, orderId, orderTaskId, taskId, tech, rejected } = await repairVisit();
    expect(await workRound(taskId, tech, 0)).toMatchObject({ status: "done" });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "rework", "on-hold", "force-majeure")]);
    await eventually(async () => ((await taskRow(orderTaskId)).held_since ? true : undefined));

    await publishEvents(namespace.name, Topics.afterSalesCase, [rejected(1)]);
    await eventually(async () => ((await under.query.getTask({ taskId })).service?.round === 1 ? true : undefined));
    await sleep(1_500); // the engine retries pending tasks every 300 ms here
    expect(await under.query.getTask({ taskId })).toMatchObject({ status: "pending", staffId: "" });
    expect((await taskRow(taskId)).held_since).not.toBeNull();

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "rework")]);
    const resumed = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" ? view : undefined;
    });
    expect(resumed).toMatchObject({ staffId: tech, service: { round: 1 } });
    expect((await taskRow(taskId)).held_since).toBeNull();
  });

  it("under way when the hold comes, is paused with the order's tasks and resumed with them", async () => {
    const { storeId, orderId, taskId, tech } = await repairVisit();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "rework", "on-hold", "force-majeure")]);
    await eventually(async () => ((await taskRow(taskId)).held_since ? true : undefined));
    const { rows } = await dispatch.runtime.pool.query<{ state: string }>(
      "SELECT CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled' WHEN fired_at IS NOT NULL THEN 'fired' ELSE 'pending' END AS state FROM timers WHERE kind = 'dispatch.acknowledge-deadline' AND payload->>'taskId' = $1",
      [taskId],
    );
    expect(rows.map((r) => r.state)).toEqual(["cancelled"]);
    expect(await under.query.getTask({ taskId })).toMatchObject({ status: "assigned", staffId: tech });

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "rework")]);
    await eventually(async () => ((await taskRow(taskId)).held_since ? undefined : true));
    expect((await taskRow(taskId)).hold_round).toBe(1);
  });

  it("reported while its order was held, then rejected after the hold was lifted, is assigned again: the lifted hold left nothing paused behind", async () => {
    const { storeId, orderId, taskId, tech, rejected } = await repairVisit();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "rework", "on-hold", "force-majeure")]);
    await eventually(async () => ((await taskRow(taskId)).held_since ? true : undefined));
    // The technician may still run a paused visit's steps (ADR 027's addendum): the round is reported during the hold.
    expect(await workRound(taskId, tech, 0)).toMatchObject({ status: "done" });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "rework")]);
    await eventually(async () => ((await dispatch.runtime.pool.query("SELECT 1 FROM held_orders WHERE order_id = $1", [orderId])).rowCount === 0 ? true : undefined));

    await publishEvents(namespace.name, Topics.afterSalesCase, [rejected(1)]);
    const reassigned = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" ? view : undefined;
    });
    expect(reassigned).toMatchObject({ staffId: tech, service: { round: 1 } });
    expect((await taskRow(taskId)).held_since).toBeNull();
  });

  it("runs again when its held order is cancelled: the cancellation ends the hold, and the visit is the case's", async () => {
    const { storeId, orderId, orderTaskId, taskId } = await repairVisit();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "rework", "on-hold", "force-majeure")]);
    await eventually(async () => ((await taskRow(taskId)).held_since ? true : undefined));
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [
      newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue: false }, { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") }),
    ]);
    await eventually(async () => ((await under.query.getTask({ taskId: orderTaskId })).status === "cancelled" ? true : undefined));
    await eventually(async () => ((await taskRow(taskId)).held_since ? undefined : true));
    expect((await under.query.getTask({ taskId })).status).toBe("assigned");
    const { rows } = await dispatch.runtime.pool.query("SELECT 1 FROM held_orders WHERE order_id = $1", [orderId]);
    expect(rows).toEqual([]);
  });
});
