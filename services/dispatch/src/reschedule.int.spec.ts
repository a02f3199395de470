import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import { ForbiddenError, ValidationError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest, taskEventsOf } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// Moving a visit to a new time (a rework visit, a no-show's new time, the desk's move), through
// gRPC and the topics on the real servers: the appointment, its time nodes and timers move, the
// customer is told cause, measure and new time, and an assignee who cannot do the new time
// (absent, another visit then) is replaced by someone who can.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];
const grace = { arrivalGraceMs: 15 * 60_000, reportGraceMs: 60 * 60_000, escalateAfterMs: 30 * 60_000 };

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ stepDeadlines: grace, retryQueuedAfterMs: 300 }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const HOUR = 3600_000;
const staff = (id: string, role = "service-staff") => ({ kind: "staff", id, role });
const hoursFromNow = (h: number) => new Date(Date.now() + h * HOUR);
const installer = (storeId: string, staffId: string) => staffMember(storeId, staffId, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }] });

async function serviceTaskHeldBy(storeId: string, staffId: string, appointmentInHours: number) {
  const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"] });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const taskId = request.payload.taskId;
  await eventually(async () => {
    const view = await query.getTask({ taskId }).catch(() => undefined);
    return view?.status === "assigned" && view.staffId === staffId ? true : undefined;
  });
  const base = { taskId, caller: staff(staffId), correlationId: "" };
  await commands.acknowledgeTask(base);
  // A two-hour window to the millisecond: two readings of the clock could make it 2 h 1 ms,
  // and a no-show's new window keeps the old one's length.
  const appointmentFrom = hoursFromNow(appointmentInHours);
  await commands.confirmAppointment({
    ...base,
    appointmentFrom: appointmentFrom.toISOString(),
    appointmentUntil: new Date(appointmentFrom.getTime() + 2 * HOUR).toISOString(),
    siteSurveyNeeded: false,
    needs: "install the air conditioner",
    toolsAndMaterials: [],
  });
  return { taskId, orderId: request.orderId, base };
}

const eventsOf = (taskId: string) => taskEventsOf({ namespace, dispatch }, taskId);

async function deadlinesOf(taskId: string) {
  const pool = dispatch.runtime.pool;
  const steps = await pool.query<{ step: string; version: number; due_at: Date; met_at: Date | null; staff_id: string }>(
    "SELECT step, version, due_at, met_at, staff_id FROM step_deadlines WHERE task_id = $1 ORDER BY step",
    [taskId],
  );
  const timers = await pool.query<{ timer_key: string; due_at: Date; cancelled_at: Date | null; fired_at: Date | null }>(
    "SELECT timer_key, due_at, cancelled_at, fired_at FROM timers WHERE kind = 'dispatch.step-deadline' AND timer_key LIKE $1 ORDER BY timer_key",
    [`${taskId}/%`],
  );
  return { steps: steps.rows, timers: timers.rows };
}

describe("moving a visit", () => {
  it("moves a rework visit: new appointment, its deadlines and timers, arrived at anew, the customer told", async () => {
    const storeId = randomStore();
    const person = `${storeId}-a`;
    await upsertStaff(dispatch.runtime.pool, "dispatch", [installer(storeId, person)]);
    const { taskId, orderId, base } = await serviceTaskHeldBy(storeId, person, 1);
    await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
    await commands.writeServiceRecord({ ...base, recordId: `${taskId}/record/0`, startedAt: hoursFromNow(-0.1).toISOString(), finishedAt: new Date().toISOString(), content: "installed", customerRemarks: "", photoRefs: [] });
    await commands.submitServiceReport({ ...base, checklist: [{ item: "cools", passed: true, note: "" }], attachmentRefs: [], collectedMinor: 0 });
    const origin = { producer: "fulfillment" as const, orderId, storeId, actor: systemActor("fulfillment") };
    const rework = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "delivered", toStatus: "rework", reason: "drips on the floor", carrier: "", trackingNumber: "" , holdReason: ""}, origin);
    const noise = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "assigned", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [noise, rework]);
    await eventually(async () => ((await query.getTask({ taskId })).status === "in-progress" ? true : undefined));
    // A status change dispatch does not act on is passed over: no inbox row for it.
    const inbox = await dispatch.runtime.pool.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE event_id = ANY($1)", [[noise.eventId, rework.eventId]]);
    expect(inbox.rows.map((r) => r.event_id)).toEqual([rework.eventId]);

    const from = hoursFromNow(24);
    const until = hoursFromNow(26);
    const moved = await commands.rescheduleVisit({ ...base, appointmentFrom: from.toISOString(), appointmentUntil: until.toISOString(), cause: "the drain hose must be replaced", measure: "a new hose is brought" });
    expect(moved).toMatchObject({ status: "acknowledged", staffId: person });
    expect(moved.service).toMatchObject({ appointmentFrom: from.toISOString(), appointmentUntil: until.toISOString(), checkedInAt: "", round: 1 });

    const { steps, timers } = await deadlinesOf(taskId);
    expect(steps.map((s) => [s.step, s.version, s.due_at.getTime(), s.met_at])).toEqual([
      ["arrival", 2, from.getTime() + grace.arrivalGraceMs, null],
      ["report", 2, until.getTime() + grace.reportGraceMs, null],
    ]);
    const pending = timers.filter((t) => !t.cancelled_at && !t.fired_at).map((t) => [t.timer_key, t.due_at.getTime()]);
    expect(pending).toEqual([
      [`${taskId}/arrival/v2/1`, from.getTime() + grace.arrivalGraceMs],
      [`${taskId}/report/v2/1`, until.getTime() + grace.reportGraceMs],
    ]);

    const told = await eventually(async () => (await eventsOf(taskId)).find((e) => e.type === EventTypes.ServiceVisitRescheduled));
    expect(told.payload).toMatchObject({ staffId: person, rescheduledBy: person, cause: "the drain hose must be replaced", measure: "a new hose is brought", newTime: from.toISOString() });

    // The rework visit is arrived at again, then recorded and reported.
    const arrived = await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
    expect(arrived.status).toBe("in-progress");
    expect((await deadlinesOf(taskId)).steps.find((s) => s.step === "arrival")!.met_at).not.toBeNull();
  });

  it("follows a no-show's new time and gives the visit to someone else when the assignee is away then", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [installer(storeId, a), installer(storeId, b)]);
    const { taskId, base } = await serviceTaskHeldBy(storeId, a, 1);
    await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
    // Away tomorrow: known now, after the visit was acknowledged.
    await commands.markAbsent({ staffId: a, from: hoursFromNow(20).toISOString(), until: hoursFromNow(30).toISOString(), reason: "training" });
    const newTime = hoursFromNow(24);
    await commands.reportServiceException({ ...base, exceptionId: `${taskId}/no-show/1`, kind: "no-show", cause: "nobody opened the door", measure: "visit again tomorrow", newTime: newTime.toISOString() });

    const reassigned = await eventually(async () => {
      const view = await query.getTask({ taskId });
      return view.status === "assigned" && view.staffId === b ? view : undefined;
    });
    expect(reassigned.service).toMatchObject({ appointmentFrom: newTime.toISOString(), appointmentUntil: new Date(newTime.getTime() + 2 * HOUR).toISOString(), checkedInAt: "" });
    expect(reassigned.assignments.map((x) => [x.staffId, x.outcome, x.outcomeReason])).toEqual([
      [a, "withdrawn", "absent"],
      [b, "open", ""],
    ]);
    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.filter((e) => e.type === EventTypes.TaskAssigned).length === 2 ? found : undefined;
    });
    expect(events.map((e) => e.type).slice(-4)).toEqual([EventTypes.ServiceException, EventTypes.ServiceVisitRescheduled, EventTypes.AssignmentWithdrawn, EventTypes.TaskAssigned]);
    expect(events.at(-4)!.payload).toMatchObject({ kind: "no-show", cause: "nobody opened the door", measure: "visit again tomorrow", newTime: newTime.toISOString() });
    expect(events.at(-3)!.payload).toMatchObject({ cause: "nobody opened the door", measure: "visit again tomorrow", newTime: newTime.toISOString(), staffId: a });
    // The new assignee answers for the moved visit's time nodes.
    expect((await deadlinesOf(taskId)).steps.map((s) => [s.step, s.staff_id, s.version])).toEqual([
      ["arrival", b, 2],
      ["report", b, 2],
    ]);
  });

  it("is the assignee's or the desk's to do; a move onto the assignee's other visit goes to someone free", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [installer(storeId, a)]);
    await serviceTaskHeldBy(storeId, a, 24);
    const second = await serviceTaskHeldBy(storeId, a, 2);
    const move = { taskId: second.taskId, correlationId: "", appointmentFrom: hoursFromNow(25).toISOString(), appointmentUntil: hoursFromNow(27).toISOString(), cause: "customer asked", measure: "moved" };

    await expect(commands.rescheduleVisit({ ...move, caller: staff("someone-else") })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(commands.rescheduleVisit({ ...move, caller: staff("desk-1", "dispatcher"), cause: "", appointmentUntil: "later" })).rejects.toMatchObject({
      fields: [{ field: "appointmentUntil", message: "is not an ISO 8601 time" }],
    });
    await expect(commands.rescheduleVisit({ ...move, caller: staff("desk-1", "dispatcher"), cause: " " })).rejects.toBeInstanceOf(ValidationError);

    await upsertStaff(dispatch.runtime.pool, "dispatch", [installer(storeId, b)]);
    await commands.rescheduleVisit({ ...move, caller: staff("desk-1", "dispatcher") });
    const reassigned = await eventually(async () => {
      const view = await query.getTask({ taskId: second.taskId });
      return view.status === "assigned" && view.staffId === b ? view : undefined;
    });
    expect(reassigned.assignments.map((x) => [x.staffId, x.outcome, x.outcomeReason])).toEqual([
      [a, "withdrawn", "another-visit"],
      [b, "open", ""],
    ]);
    const told = (await eventsOf(second.taskId)).find((e) => e.type === EventTypes.ServiceVisitRescheduled)!;
    expect(told.payload).toMatchObject({ rescheduledBy: "desk-1", staffId: a });
    expect(told.actor).toMatchObject({ kind: "staff", id: "desk-1", role: "dispatcher" });
  });
});
