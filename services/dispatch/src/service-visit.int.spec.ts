import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { serviceVisitRepository } from "./adapters/pg/service-visit-repository.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest, taskEventsOf } from "./testing/dispatch-under-test.ts";

// A service order on site, through gRPC and the topics, on real Postgres, Redis and Kafka:
// appointment, late arrival, record, self-inspection, report; then the customer's refusal
// (fulfillment's rework) sends the same person back and a new report is accepted.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  // Deadlines far away: this file is about the steps, step-deadlines.int.spec.ts about the time nodes.
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ stepDeadlines: { arrivalGraceMs: 3_600_000, reportGraceMs: 3_600_000, escalateAfterMs: 3_600_000 } }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const staff = (id: string) => ({ kind: "staff", id, role: "service-staff" });
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function acknowledgedServiceTask(storeId = randomStore()) {
  const installer = `${storeId}-installer`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, installer, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }], teamId: `${storeId}-team` }),
  ]);
  const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"] });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const taskId = request.payload.taskId;
  await eventually(async () => ((await query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  await commands.acknowledgeTask({ taskId, caller: staff(installer), correlationId: "" });
  return { storeId, installer, taskId, orderId: request.orderId };
}

const eventsOf = (taskId: string) => taskEventsOf({ namespace, dispatch }, taskId);

const checklist = (wallCleaned: boolean) => [
  { item: "no leaks", passed: true, note: "" },
  { item: "wall cleaned", passed: wallCleaned, note: wallCleaned ? "" : "dust left under the unit" },
];

/** A round's record and report; the record's id is the round's, as an app would keep it for its retries. */
async function recordAndReport(taskId: string, installer: string, content: string, round = 0) {
  await commands.writeServiceRecord({
    taskId,
    caller: staff(installer),
    correlationId: "",
    recordId: `${taskId}/record/${round}`,
    startedAt: minutesFromNow(-15),
    finishedAt: minutesFromNow(0),
    content,
    customerRemarks: "happy with the placement",
    photoRefs: ["photo-after"],
  });
  return commands.submitServiceReport({ taskId, caller: staff(installer), correlationId: "", checklist: checklist(true), attachmentRefs: ["report.pdf"], collectedMinor: 0 });
}

function fromFulfillment(storeId: string, orderId: string) {
  const origin = { producer: "fulfillment" as const, orderId, storeId, actor: systemActor("fulfillment") };
  return {
    delivered: () =>
      newEvent(
        EventTypes.DeliveryRecorded,
        { deliveredAt: new Date().toISOString(), place: "customer's home", method: "on-site", deliveredBy: "", proofKind: "signature", proofRef: "sig-1", collectedMinor: 0 , reservationId: "", taskId: "" },
        origin,
      ),
    status: (fromStatus: string, toStatus: string, reason: string) => newEvent(EventTypes.OrderStatusChanged, { fromStatus, toStatus, reason, carrier: "", trackingNumber: "" , holdReason: ""}, origin),
  };
}

describe("a service visit", () => {
  it("goes from appointment to an accepted report, refusing a failed self-inspection, and tells of a late arrival", async () => {
    const { installer, taskId } = await acknowledgedServiceTask();
    const base = { taskId, correlationId: "" };

    await expect(commands.checkIn({ ...base, caller: staff(installer), at: "", lateCause: "", lateMeasure: "" })).rejects.toBeInstanceOf(IllegalStateError);
    const appointment = { appointmentFrom: minutesFromNow(-20), appointmentUntil: minutesFromNow(60), siteSurveyNeeded: true, needs: "air conditioner in the bedroom", toolsAndMaterials: ["drill", "bracket"] };
    await expect(commands.confirmAppointment({ ...base, caller: staff("someone-else"), ...appointment })).rejects.toBeInstanceOf(ForbiddenError);
    const confirmed = await commands.confirmAppointment({ ...base, caller: staff(installer), ...appointment });
    expect(confirmed.service).toMatchObject({ needs: appointment.needs, siteSurveyNeeded: true, toolsAndMaterials: ["drill", "bracket"] });

    const onSite = await commands.checkIn({ ...base, caller: staff(installer), at: "", lateCause: "traffic jam on the ring road", lateMeasure: "" });
    expect(onSite.status).toBe("in-progress");
    expect(onSite.service!.lateMinutes).toBeGreaterThanOrEqual(19);
    expect(onSite.service!.exceptions).toMatchObject([{ kind: "late-arrival", cause: "traffic jam on the ring road", staffId: installer }]);

    await expect(commands.submitServiceReport({ ...base, caller: staff(installer), checklist: checklist(true), attachmentRefs: [], collectedMinor: 0 })).rejects.toBeInstanceOf(IllegalStateError);
    await commands.writeServiceRecord({
      ...base,
      caller: staff(installer),
      recordId: `${taskId}/record/0`,
      startedAt: minutesFromNow(-5),
      finishedAt: minutesFromNow(0),
      content: "mounted the indoor unit, vacuumed the lines, tested cooling",
      customerRemarks: "wants the remote explained again",
      photoRefs: ["photo-1"],
    });
    const refused = await commands.submitServiceReport({ ...base, caller: staff(installer), checklist: checklist(false), attachmentRefs: [], collectedMinor: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fields).toEqual([{ field: "checklist[1]", message: '"wall cleaned" did not pass: dust left under the unit' }]);

    // The customer paid the installer in cash on the visit: the report says how much.
    const reported = await commands.submitServiceReport({ ...base, caller: staff(installer), checklist: checklist(true), attachmentRefs: ["photo-1", "signature-1"], collectedMinor: 45_000 });
    expect(reported.status).toBe("reported");
    expect(reported.service!.reports).toMatchObject([{ outcome: "awaiting-acceptance", round: 0, attachmentRefs: ["photo-1", "signature-1"], collectedMinor: 45_000 }]);

    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.some((e) => e.type === EventTypes.ServiceReportSubmitted) ? found : undefined;
    });
    expect(events.map((e) => e.type)).toEqual([
      EventTypes.TaskAssigned,
      EventTypes.AssignmentAcknowledged,
      EventTypes.ServiceAppointmentConfirmed,
      EventTypes.ServiceCheckedIn,
      EventTypes.ServiceException,
      EventTypes.ServiceRecordWritten,
      EventTypes.ServiceReportSubmitted,
    ]);
    expect(events[4]).toMatchObject({ actor: { kind: "staff", id: installer }, payload: { kind: "late-arrival", cause: "traffic jam on the ring road", measure: "the service starts on arrival" } });
    expect(events[6]!.payload).toEqual({
      taskId,
      reportId: reported.service!.reports[0]!.reportId,
      staffId: installer,
      submittedAt: reported.service!.reports[0]!.submittedAt,
      checklistPassed: true,
      attachmentRefs: ["photo-1", "signature-1"],
      collectedMinor: 45_000,
    });
  });

  it("goes back to the same person after the customer's refusal (rework), and a new report is accepted", async () => {
    const { storeId, installer, taskId, orderId } = await acknowledgedServiceTask();
    const base = { taskId, correlationId: "" };
    await commands.confirmAppointment({ ...base, caller: staff(installer), appointmentFrom: minutesFromNow(5), appointmentUntil: minutesFromNow(60), siteSurveyNeeded: false, needs: "repair the washing machine", toolsAndMaterials: [] });
    const onTime = await commands.checkIn({ ...base, caller: staff(installer), at: "", lateCause: "", lateMeasure: "" });
    expect(onTime.service).toMatchObject({ lateMinutes: 0, exceptions: [] });
    const first = await recordAndReport(taskId, installer, "replaced the drum bearing");

    // Fulfillment records the delivery, then the customer refuses it.
    const fulfillment = fromFulfillment(storeId, orderId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [fulfillment.delivered(), fulfillment.status("assigned", "delivered", "on-site")]);
    await eventually(async () => ((await query.getTask({ taskId })).status === "done" ? true : undefined));
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [fulfillment.status("delivered", "rework", "still noisy when spinning")]);

    const reopened = await eventually(async () => {
      const view = await query.getTask({ taskId });
      return view.status === "in-progress" ? view : undefined;
    });
    expect(reopened).toMatchObject({ staffId: installer, service: { round: 1 } });
    expect(reopened.assignments.map((a) => [a.staffId, a.outcome])).toEqual([[installer, "acknowledged"]]);
    expect(reopened.service!.reports).toMatchObject([{ reportId: first.service!.reports[0]!.reportId, outcome: "rework" }]);

    // The first round's record does not cover the rework.
    await expect(commands.submitServiceReport({ ...base, caller: staff(installer), checklist: checklist(true), attachmentRefs: [], collectedMinor: 0 })).rejects.toBeInstanceOf(IllegalStateError);
    const second = await recordAndReport(taskId, installer, "balanced the drum, replaced the shock absorbers", 1);
    expect(second.status).toBe("reported");
    expect(second.service!.reports.map((r) => [r.round, r.outcome])).toEqual([
      [0, "rework"],
      [1, "awaiting-acceptance"],
    ]);

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [
      fulfillment.delivered(),
      fulfillment.status("rework", "delivered", "on-site"),
      fulfillment.status("delivered", "accepted", "signed by the customer"),
    ]);
    const accepted = await eventually(async () => {
      const view = await query.getTask({ taskId });
      return view.status === "done" && view.service!.reports[1]!.outcome === "accepted" ? view : undefined;
    });
    expect(accepted.assignments.map((a) => a.outcome)).toEqual(["done"]);

    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.filter((e) => e.type === EventTypes.ServiceReportSubmitted).length === 2 ? found : undefined;
    });
    const rework = events.find((e) => e.type === EventTypes.ServiceReworkStarted);
    expect(rework?.payload).toEqual({ taskId, staffId: installer, refusedReportId: first.service!.reports[0]!.reportId, reason: "still noisy when spinning", round: 1 });
    expect(events.filter((e) => e.type === EventTypes.ServiceReportSubmitted).map((e) => (e.payload as { reportId: string }).reportId)).toEqual(
      second.service!.reports.map((r) => r.reportId),
    );
  });
});

describe("a retry under the caller's id", () => {
  /** An acknowledged service task whose assignee is on site, the appointment agreed for the next hour. */
  async function onSite() {
    const task = await acknowledgedServiceTask();
    const base = { taskId: task.taskId, correlationId: "", caller: staff(task.installer) };
    const appointment = { appointmentFrom: minutesFromNow(0), appointmentUntil: minutesFromNow(60), siteSurveyNeeded: false, needs: "mount the TV", toolsAndMaterials: [] };
    await commands.confirmAppointment({ ...base, ...appointment });
    await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
    return { ...task, base };
  }
  const countOf = (events: { type: string }[], type: string) => events.filter((e) => e.type === type).length;

  it("writes and announces a record sent twice at once only once, answers both alike, and refuses other content under its id", async () => {
    const { taskId, base } = await onSite();
    const record = { ...base, recordId: `${taskId}/record/0`, startedAt: minutesFromNow(-30), finishedAt: minutesFromNow(0), content: "mounted the TV", customerRemarks: "", photoRefs: ["photo-1"] };

    const [first, second] = await Promise.all([commands.writeServiceRecord(record), commands.writeServiceRecord(record)]);
    expect(first.service!.records).toMatchObject([{ recordId: record.recordId, content: "mounted the TV" }]);
    expect(second).toEqual(first);
    await expect(commands.writeServiceRecord({ ...record, content: "mounted the TV and the soundbar" })).rejects.toMatchObject({
      constructor: IllegalStateError,
      code: "dispatch.record-id-reused",
      message: expect.stringContaining(`record ${record.recordId} with another content`),
    });
    // Reported since: a late retry still answers the task as it stands.
    await commands.submitServiceReport({ ...base, checklist: checklist(true), attachmentRefs: [], collectedMinor: 0 });
    expect(await commands.writeServiceRecord(record)).toMatchObject({ status: "reported", service: { records: [{ recordId: record.recordId }] } });

    expect(await serviceVisitRepository.recordsOf(dispatch.runtime.pool, taskId)).toHaveLength(1);
    // The report is announced after anything the retries could have announced.
    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.some((e) => e.type === EventTypes.ServiceReportSubmitted) ? found : undefined;
    });
    expect(countOf(events, EventTypes.ServiceRecordWritten)).toBe(1);
  });

  it("records, announces and moves a no-show with a new time sent twice at once only once", async () => {
    const { taskId, base, installer } = await onSite();
    const newTime = minutesFromNow(24 * 60);
    const noShow = { ...base, exceptionId: `${taskId}/no-show/1`, kind: "no-show", cause: "nobody opened the door", measure: "visit again tomorrow", newTime };

    const [first, second] = await Promise.all([commands.reportServiceException(noShow), commands.reportServiceException(noShow)]);
    expect(first).toMatchObject({ status: "acknowledged", staffId: installer, service: { appointmentFrom: newTime, exceptions: [{ exceptionId: noShow.exceptionId, kind: "no-show" }] } });
    expect(second).toEqual(first);
    await expect(commands.reportServiceException({ ...noShow, newTime: minutesFromNow(48 * 60) })).rejects.toMatchObject({
      constructor: IllegalStateError,
      code: "dispatch.exception-id-reused",
      message: expect.stringContaining(`exception ${noShow.exceptionId} with another newTime`),
    });

    expect(await serviceVisitRepository.exceptionsOf(dispatch.runtime.pool, taskId)).toHaveLength(1);
    // Confirmed once (version 1), moved once.
    expect((await serviceVisitRepository.visitOf(dispatch.runtime.pool, taskId))!.version).toBe(2);
    // Arriving at the moved visit is announced after anything the retries could have announced.
    await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return countOf(found, EventTypes.ServiceCheckedIn) === 2 ? found : undefined;
    });
    expect(countOf(events, EventTypes.ServiceException)).toBe(1);
    expect(countOf(events, EventTypes.ServiceVisitRescheduled)).toBe(1);
  });

  it("is required, and refused by name when empty", async () => {
    const { taskId, base } = await onSite();
    const record = { ...base, recordId: "", startedAt: minutesFromNow(-30), finishedAt: minutesFromNow(0), content: "mounted the TV", customerRemarks: "", photoRefs: [] };
    await expect(commands.writeServiceRecord(record)).rejects.toMatchObject({ constructor: ValidationError, fields: [{ field: "recordId" }] });
    const noShow = { ...base, exceptionId: " ", kind: "no-show", cause: "nobody opened the door", measure: "visit again tomorrow", newTime: "" };
    await expect(commands.reportServiceException(noShow)).rejects.toMatchObject({ constructor: ValidationError, fields: [{ field: "exceptionId" }] });
    expect((await query.getTask({ taskId })).service).toMatchObject({ records: [], exceptions: [] });
  });
});

describe("KPIs", () => {
  it("measure acknowledgement, on-time arrival, first-time acceptance, rework and workload from what was recorded", async () => {
    const storeId = randomStore();
    const visit = async (startsInMinutes: number) => {
      const task = await acknowledgedServiceTask(storeId);
      const base = { taskId: task.taskId, correlationId: "", caller: staff(task.installer) };
      await commands.confirmAppointment({ ...base, appointmentFrom: minutesFromNow(startsInMinutes), appointmentUntil: minutesFromNow(90), siteSurveyNeeded: false, needs: "clean the sofa", toolsAndMaterials: [] });
      await commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
      await recordAndReport(task.taskId, task.installer, "cleaned");
      return { ...task, fulfillment: fromFulfillment(storeId, task.orderId) };
    };
    // First time right; late and refused once, then right; still open.
    const right = await visit(10);
    const reworked = await visit(-30);
    const open = await acknowledgedServiceTask(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [
      right.fulfillment.delivered(),
      right.fulfillment.status("delivered", "accepted", "signed"),
      reworked.fulfillment.delivered(),
      reworked.fulfillment.status("delivered", "rework", "stains left"),
    ]);
    await eventually(async () => ((await query.getTask({ taskId: reworked.taskId })).status === "in-progress" ? true : undefined));
    await recordAndReport(reworked.taskId, reworked.installer, "cleaned the stains", 1);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [reworked.fulfillment.status("rework", "accepted", "signed")]);
    await eventually(async () => ((await query.getTask({ taskId: reworked.taskId })).status === "done" ? true : undefined));

    const expected = {
      acknowledgements: 3,
      checkIns: 2,
      onTimeArrivalRate: 0.5,
      reportsDecided: 3,
      firstTimeAcceptanceRate: 0.5,
      reworkRate: 1 / 3,
      tasksHandled: 2,
      tasksOpen: 1,
    };
    const period = { from: minutesFromNow(-60), until: minutesFromNow(1) };
    const forStore = await query.getKpis({ scope: "store", id: storeId, ...period });
    expect(forStore).toMatchObject(expected);
    expect(forStore.acknowledgeSecondsAvg).toBeGreaterThan(0);
    expect(forStore.acknowledgeSecondsP50).toBeGreaterThan(0);
    expect(await query.getKpis({ scope: "staff", id: open.installer, ...period })).toMatchObject(expected);
    expect(await query.getKpis({ scope: "team", id: `${storeId}-team`, ...period })).toMatchObject(expected);
    // Another period: only what is open now.
    expect(await query.getKpis({ scope: "store", id: storeId, from: minutesFromNow(-120), until: minutesFromNow(-60) })).toMatchObject({
      acknowledgements: 0,
      checkIns: 0,
      reportsDecided: 0,
      firstTimeAcceptanceRate: 0,
      tasksHandled: 0,
      tasksOpen: 1,
    });
    await expect(query.getKpis({ scope: "region", id: storeId, from: "", until: "" })).rejects.toBeInstanceOf(ValidationError);
  });
});
