import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import type { BatchItem } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, sessionsBlockedOnLocks, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { stepTimerKey } from "./app/commands/step-deadlines.ts";
import { TimerKinds } from "./app/timer-kinds.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { defaultDispatchOptions } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { batchItemsOf, batchOn, racedBehindHeldTask } from "./testing/consumer-batches.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskHeldBy, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// A deadline timer firing as a command that holds its task calls it off (ADR 027's twenty-sixth-session
// addendum, locks, second reading): a force-majeure pause, an acknowledgement. The poller holds the
// timer's row from its claim and then waits for the task; the command holds the task and called the
// timer off, waiting for its row. The test holds the task until the command and then the service's
// own poller wait for it, the same way every run.
let under: DispatchUnderTest;
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest();
  ({ namespace, dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const logger = createLogger({ service: "dispatch-test", level: "silent", pretty: false });

const itemsOf = (events: OrderEvent[]): BatchItem[] => batchItemsOf(events, Topics.fulfillmentOrder);

const heldForForceMajeure = (orderId: string, storeId: string) =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "assigned", toStatus: "on-hold", reason: "force majeure: typhoon; work paused", carrier: "", trackingNumber: "", holdReason: "force-majeure" },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );

const resumed = (orderId: string, storeId: string) =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "on-hold", toStatus: "assigned", reason: "work resumes", carrier: "", trackingNumber: "", holdReason: "" },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );

/**
 * The test holds the task; the pause starts and waits for it; then the timer comes due and the
 * service's poller claims it and waits too; past the poller's deadlock check the test lets go.
 * The pause must commit, and the timer fire once into the paused task, recording nothing.
 */
async function raceHoldWithFiringTimer(task: { taskId: string; orderId: string; storeId: string }, timer: { kind: string; key: string }): Promise<void> {
  const { pool } = dispatch.runtime;
  const deps = { pool, outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, ...defaultDispatchOptions };
  const paused = await racedBehindHeldTask(pool, task.taskId, async () => {
    const pause = await batchOn(pool, (tx) => fulfillmentRequestsConsumer(deps).handleBatch!(itemsOf([heldForForceMajeure(task.orderId, task.storeId)]), { tx, logger }));
    await sessionsBlockedOnLocks(pool, 1);
    // The deadline passes now: the service's poller claims the timer and waits for the task behind the pause.
    await pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [timer.kind, timer.key]);
    await sessionsBlockedOnLocks(pool, 2);
    // Past the poller's own deadlock check (the helper waits), so that a cycle closed later is found by the pause's session.
    return { settled: pause.outcome };
  });
  if (!paused.ok) throw paused.error;
  // Fired once, into a paused task (a deadlock would leave it put off, then called off by the pause).
  const row = await eventually(async () => {
    const { rows } = await pool.query<{ fired: boolean; cancelled: boolean; outages: number; last_error: string | null }>(
      "SELECT fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled, outages, last_error FROM timers WHERE kind = $1 AND timer_key = $2",
      [timer.kind, timer.key],
    );
    return rows[0]?.fired || rows[0]?.cancelled ? rows[0] : undefined;
  });
  expect(row).toEqual({ fired: true, cancelled: false, outages: 0, last_error: null });
}

async function taskRow(taskId: string) {
  const { rows } = await dispatch.runtime.pool.query("SELECT held_since IS NOT NULL AS held, status, assignee_staff_id FROM tasks WHERE task_id = $1", [taskId]);
  return rows[0];
}

/** A delivery task assigned to the store's rider, its acknowledgement deadline (30 minutes) pending. */
async function assignedTask() {
  const storeId = randomStore();
  const rider = `${storeId}-a`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, rider)]);
  const orderId = randomUUID();
  const request = assignmentRequested(storeId, {}, orderId);
  const taskId = request.payload.taskId;
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const { assignmentId } = await taskHeldBy(under, taskId, rider);
  return { storeId, orderId, taskId, rider, assignmentId };
}

/** A service task acknowledged by the store's installer, its appointment an hour from now: its step timers pending. */
async function confirmedVisit() {
  const storeId = randomStore();
  const installer = `${storeId}-installer`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, installer, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }] })]);
  const orderId = randomUUID();
  const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"] }, orderId);
  const taskId = request.payload.taskId;
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  await taskHeldBy(under, taskId, installer);
  const caller = { kind: "staff", id: installer, role: "service-staff" };
  await under.commands.acknowledgeTask({ taskId, caller, correlationId: "" });
  const inAnHour = (m: number) => new Date(Date.now() + 3600_000 + m * 60_000).toISOString();
  await under.commands.confirmAppointment({ taskId, caller, correlationId: "", appointmentFrom: inAnHour(0), appointmentUntil: inAnHour(60), siteSurveyNeeded: false, needs: "fit the boiler", toolsAndMaterials: [] });
  return { storeId, orderId, taskId, installer };
}

const flaggedSteps = async (taskId: string) => (await dispatch.runtime.pool.query("SELECT step, level FROM step_deadlines WHERE task_id = $1 AND level > 0", [taskId])).rows;

describe("a force-majeure hold as one of the task's deadlines fires", () => {
  it("pauses an unacknowledged task without waiting for its acknowledgement timer: no deadlock, no miss recorded", async () => {
    const { taskId, orderId, storeId, rider, assignmentId } = await assignedTask();
    await raceHoldWithFiringTimer({ taskId, orderId, storeId }, { kind: TimerKinds.acknowledgeDeadline, key: assignmentId });
    expect(await taskRow(taskId)).toEqual({ held: true, status: "assigned", assignee_staff_id: rider });
  });

  it("pauses a service visit without waiting for its arrival timer: no deadlock, nothing flagged", async () => {
    const { taskId, orderId, storeId, installer } = await confirmedVisit();
    await raceHoldWithFiringTimer({ taskId, orderId, storeId }, { kind: TimerKinds.stepDeadline, key: stepTimerKey(taskId, "arrival", 1, 1) });
    expect(await taskRow(taskId)).toEqual({ held: true, status: "acknowledged", assignee_staff_id: installer });
    expect(await flaggedSteps(taskId)).toEqual([]);
  });
});

/**
 * A timer a pause left to fire may fail in that pass (put off) and come again after the order
 * resumed: it is of the hold round before, and its deadline was moved on and restarted under a
 * key of the new round. Here the pause calls it off; the test brings it back, due, after the resumption.
 */
async function pauseResumeAndReviveOldTimer(task: { taskId: string; orderId: string; storeId: string }, timer: { kind: string; key: string }): Promise<void> {
  const { pool } = dispatch.runtime;
  const deps = { pool, outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, ...defaultDispatchOptions };
  for (const event of [heldForForceMajeure(task.orderId, task.storeId), resumed(task.orderId, task.storeId)]) {
    const applied = await (await batchOn(pool, (tx) => fulfillmentRequestsConsumer(deps).handleBatch!(itemsOf([event]), { tx, logger }))).outcome;
    if (!applied.ok) throw applied.error;
  }
  const { rowCount } = await pool.query("UPDATE timers SET cancelled_at = NULL, due_at = now() WHERE kind = $1 AND timer_key = $2 AND fired_at IS NULL", [timer.kind, timer.key]);
  expect(rowCount).toBe(1);
  await eventually(async () => {
    const { rows } = await pool.query<{ fired: boolean }>("SELECT fired_at IS NOT NULL AS fired FROM timers WHERE kind = $1 AND timer_key = $2", [timer.kind, timer.key]);
    return rows[0]?.fired ? true : undefined;
  });
}

describe("a deadline timer of the hold round before, firing after the order resumed", () => {
  it("records no miss: the assignment's deadline was moved on", async () => {
    const { taskId, orderId, storeId, rider, assignmentId } = await assignedTask();
    await pauseResumeAndReviveOldTimer({ taskId, orderId, storeId }, { kind: TimerKinds.acknowledgeDeadline, key: assignmentId });
    expect(await taskRow(taskId)).toEqual({ held: false, status: "assigned", assignee_staff_id: rider });
  });

  it("flags no step: the step's deadline was restarted", async () => {
    const { taskId, orderId, storeId, installer } = await confirmedVisit();
    await pauseResumeAndReviveOldTimer({ taskId, orderId, storeId }, { kind: TimerKinds.stepDeadline, key: stepTimerKey(taskId, "arrival", 1, 1) });
    expect(await taskRow(taskId)).toEqual({ held: false, status: "acknowledged", assignee_staff_id: installer });
    expect(await flaggedSteps(taskId)).toEqual([]);
  });
});

describe.each([
  {
    answer: "an acknowledgement",
    send: (taskId: string, rider: string) => under.commands.acknowledgeTask({ taskId, caller: { kind: "staff", id: rider, role: "rider" }, correlationId: "" }),
    then: "acknowledged",
  },
  {
    answer: "a decline",
    send: (taskId: string, rider: string) => under.commands.declineTask({ taskId, caller: { kind: "staff", id: rider, role: "rider" }, reason: "flat tyre", correlationId: "" }),
    then: "declined",
  },
])("$answer as its deadline fires", ({ send, then }) => {
  it(`is recorded without waiting for the firing timer: no deadlock, the timer finds the assignment ${then}`, async () => {
    const { pool } = dispatch.runtime;
    const { taskId, rider, assignmentId } = await assignedTask();
    const answer = await racedBehindHeldTask(pool, taskId, async () => {
      const answered = send(taskId, rider).then(
        (view) => ({ ok: true as const, view }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await sessionsBlockedOnLocks(pool, 1);
      await pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [TimerKinds.acknowledgeDeadline, assignmentId]);
      await sessionsBlockedOnLocks(pool, 2);
      return { settled: answered };
    });
    if (!answer.ok) throw answer.error;
    const row = await eventually(async () => {
      const { rows } = await pool.query("SELECT fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled, outages, last_error FROM timers WHERE kind = $1 AND timer_key = $2", [
        TimerKinds.acknowledgeDeadline,
        assignmentId,
      ]);
      return rows[0]?.fired || rows[0]?.cancelled ? rows[0] : undefined;
    });
    expect(row).toEqual({ fired: true, cancelled: false, outages: 0, last_error: null });
    const { assignments } = await under.query.getTask({ taskId });
    expect(assignments.map((a) => [a.staffId, a.outcome])).toEqual([[rider, then]]);
  });
});
