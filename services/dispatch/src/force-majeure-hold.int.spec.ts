import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskEventsOf, taskHeldBy, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// ADR 027, addendum: an order held for force majeure pauses its tasks in dispatch, on real
// Postgres, Redis and Kafka. While held, an acknowledgement deadline does not lapse (no miss,
// no reassignment), a pending task goes to nobody and a visit's step is not flagged; leaving
// the hold starts the clocks again from then, under timer keys of a new round.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ retryQueuedAfterMs: 300, stepDeadlines: { arrivalGraceMs: 1_000, reportGraceMs: 1_000, escalateAfterMs: 1_500 } }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const staff = (id: string, role = "rider") => ({ kind: "staff", id, role });

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

async function timersOf(orderId: string) {
  const { rows } = await dispatch.runtime.pool.query<{ timer_key: string; state: string }>(
    `SELECT timer_key, CASE WHEN fired_at IS NOT NULL THEN 'fired' WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'pending' END AS state
     FROM timers WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows;
}

const held = (taskId: string) => eventually(async () => ((await taskRow(taskId)).held_since ? true : undefined));
const running = (taskId: string) => eventually(async () => ((await taskRow(taskId)).held_since ? undefined : true));

describe("an order held for force majeure", () => {
  it("keeps its unacknowledged task with its assignee, records no miss, and gives a fresh window from the resumption", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, a), staffMember(storeId, b)]);
    await commands.setStoreSettings({ storeId, acknowledgeWithinSeconds: 3, preferredStaffId: a });
    const orderId = randomUUID();
    const request = assignmentRequested(storeId, {}, orderId);
    const taskId = request.payload.taskId;
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const assigned = await taskHeldBy({ query }, taskId, a);

    const hold = statusChanged(storeId, orderId, "assigned", "on-hold", "force-majeure");
    // Redelivered, and held again by a second declaration: one pause.
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [hold, hold, statusChanged(storeId, orderId, "on-hold", "on-hold", "force-majeure")]);
    await held(taskId);
    await sleep(4_500); // well past the three seconds to acknowledge

    const during = await query.getTask({ taskId });
    expect(during).toMatchObject({ status: "assigned", staffId: a, assignmentId: assigned.assignmentId });
    expect(during.assignments.map((h) => [h.staffId, h.outcome])).toEqual([[a, "open"]]);
    expect((await query.listOverdueSteps({ storeId })).steps).toEqual([]);
    expect((await taskRow(taskId)).hold_round).toBe(1);
    expect(await timersOf(orderId)).toEqual([{ timer_key: assigned.assignmentId, state: "cancelled" }]);

    const resumedAt = Date.now();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "assigned")]);
    await running(taskId);
    const resumed = await query.getTask({ taskId });
    expect(new Date(resumed.acknowledgeBy).getTime()).toBeGreaterThanOrEqual(resumedAt + 3_000 - 50);
    expect(await timersOf(orderId)).toEqual([
      { timer_key: assigned.assignmentId, state: "cancelled" },
      { timer_key: `${assigned.assignmentId}~fm1`, state: "pending" },
    ]);

    // The fresh window lapses like any: the miss is recorded at the new deadline and the task goes on.
    await taskHeldBy({ query }, taskId, b);
    const after = await query.getTask({ taskId });
    expect(after.assignments.map((h) => [h.staffId, h.outcome])).toEqual([
      [a, "missed"],
      [b, "open"],
    ]);
    expect(new Date(after.assignments[0]!.outcomeAt).getTime()).toBeGreaterThanOrEqual(new Date(resumed.acknowledgeBy).getTime());
    const types = (await taskEventsOf({ namespace, dispatch }, taskId)).map((e) => e.type);
    expect(types.filter((t) => t === EventTypes.AssignmentExpired)).toHaveLength(1);
  });

  it("gives a pending task to nobody while held, and to someone once it resumes", async () => {
    const storeId = randomStore();
    const orderId = randomUUID();
    const request = assignmentRequested(storeId, {}, orderId);
    const taskId = request.payload.taskId;
    // Nobody works here yet: the task waits in the queue, then its order is held.
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request, statusChanged(storeId, orderId, "reserved", "on-hold", "force-majeure")]);
    await held(taskId);
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-a`)]);
    await sleep(2_000);
    expect((await query.getTask({ taskId })).status).toBe("pending");

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "reserved")]);
    await taskHeldBy({ query }, taskId, `${storeId}-a`);
  });

  it("flags a visit's step only after it resumes, with the time the step had left", async () => {
    const storeId = randomStore();
    const installer = `${storeId}-installer`;
    await upsertStaff(dispatch.runtime.pool, "dispatch", [
      staffMember(storeId, installer, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }] }),
      staffMember(storeId, `${storeId}-manager`, { roles: ["store-manager"], skills: [] }),
    ]);
    const orderId = randomUUID();
    const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"] }, orderId);
    const taskId = request.payload.taskId;
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await taskHeldBy({ query }, taskId, installer);
    await commands.acknowledgeTask({ taskId, caller: staff(installer, "service-staff"), correlationId: "" });
    const from = new Date(Date.now() + 2_000);
    await commands.confirmAppointment({
      taskId,
      caller: staff(installer, "service-staff"),
      correlationId: "",
      appointmentFrom: from.toISOString(),
      appointmentUntil: new Date(from.getTime() + 60_000).toISOString(),
      siteSurveyNeeded: false,
      needs: "install the boiler",
      toolsAndMaterials: [],
    });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "assigned", "on-hold", "force-majeure")]);
    await held(taskId);
    await sleep(4_000); // the arrival was due three seconds after the confirmation
    const overdue = async () => (await taskEventsOf({ namespace, dispatch }, taskId)).filter((e) => e.type === EventTypes.StepOverdue);
    expect(await overdue()).toEqual([]);

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [statusChanged(storeId, orderId, "on-hold", "assigned")]);
    await running(taskId);
    const arrival = (await timersOf(orderId)).filter((t) => t.timer_key.startsWith(`${taskId}/arrival/`));
    expect(arrival).toEqual([
      { timer_key: `${taskId}/arrival/v1/1`, state: "cancelled" },
      { timer_key: `${taskId}/arrival/v1/1~fm1`, state: "pending" },
    ]);
    const flagged = await eventually(async () => ((await overdue()).length > 0 ? await overdue() : undefined));
    expect(flagged[0]).toMatchObject({ payload: { step: "arrival", level: 1, staffId: installer } });
  });
});
