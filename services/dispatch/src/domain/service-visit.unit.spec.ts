import { describe, expect, it } from "vitest";
import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import { decideService, emptyVisit, evolveService, type ServiceCommand, type ServiceVisit } from "./service-visit.ts";
import { pendingTask, type Task } from "./task.ts";
import type { WrittenStep } from "./written-steps.ts";

const now = new Date("2026-11-25T02:00:00Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const serviceTask = (overrides: Partial<Task> = {}): Task => ({
  ...pendingTask({
    taskId: "task-1",
    orderId: "order-1",
    storeId: "store-1",
    kind: "service",
    region: "Jing'an",
    skills: ["installation"],
    priority: 1,
    createdAt: now,
    origin: { correlationId: "c-1", causationId: "e-1", traceparent: "" },
  }),
  status: "acknowledged",
  assigneeStaffId: "s-1",
  ...overrides,
});

const confirm: ServiceCommand = {
  type: "ConfirmAppointment",
  staffId: "s-1",
  now,
  from: at(60),
  until: at(180),
  siteSurveyNeeded: true,
  needs: "install the air conditioner in the bedroom",
  toolsAndMaterials: ["drill", "bracket"],
};

function run(commands: ServiceCommand[], task = serviceTask(), visit: ServiceVisit = emptyVisit) {
  let state = { task, visit };
  const all = [];
  for (const command of commands) {
    const events = decideService(command, state.task, state.visit);
    all.push(...events);
    state = events.reduce(evolveService, state);
  }
  return { ...state, events: all };
}

const checkIn = (minutes: number): ServiceCommand => ({ type: "CheckIn", staffId: "s-1", now: at(minutes), at: at(minutes), lateCause: "", lateMeasure: "", exceptionId: "x-1" });
const record: ServiceCommand = {
  type: "WriteServiceRecord",
  staffId: "s-1",
  now: at(170),
  recordId: "r-1",
  startedAt: at(70),
  finishedAt: at(170),
  content: "installed, tested cooling",
  customerRemarks: "quiet",
  photoRefs: [],
};
const report = (passed: boolean): ServiceCommand => ({
  type: "SubmitServiceReport",
  staffId: "s-1",
  now: at(175),
  reportId: "rep-1",
  checklist: [
    { item: "no leaks", passed: true, note: "" },
    { item: "wall cleaned", passed, note: passed ? "" : "dust left" },
  ],
  attachmentRefs: ["photo-1"],
  collectedMinor: 0,
});

describe("a service visit", () => {
  it("confirms, checks in on time, records and reports", () => {
    const { task, events } = run([confirm, checkIn(55), record, report(true)]);
    expect(events.map((e) => e.type)).toEqual(["AppointmentConfirmed", "CheckedIn", "RecordWritten", "ReportSubmitted"]);
    expect(events[1]).toMatchObject({ lateMinutes: 0 });
    expect(task.status).toBe("reported");
  });

  it("reports a late arrival as an exception with cause, measure and new time", () => {
    const { events } = run([confirm, checkIn(85)]);
    expect(events.map((e) => e.type)).toEqual(["AppointmentConfirmed", "CheckedIn", "ExceptionReported"]);
    expect(events[1]).toMatchObject({ lateMinutes: 25 });
    expect(events[2]).toMatchObject({ kind: "late-arrival", cause: "arrived 25 minutes after the appointment", newTime: at(85) });
  });

  it("is the assignee's alone, and in order", () => {
    expect(() => run([{ ...confirm, staffId: "s-2" } as ServiceCommand])).toThrow(ForbiddenError);
    expect(() => run([confirm], serviceTask({ status: "assigned" }))).toThrow(IllegalStateError);
    expect(() => run([checkIn(0)])).toThrow(IllegalStateError); // no appointment yet
    expect(() => run([confirm, record])).toThrow(IllegalStateError); // not on site yet
    expect(() => run([confirm], serviceTask({ kind: "delivery" }))).toThrow(IllegalStateError);
  });

  it("refuses a report whose self-inspection failed, naming the items, and one without a record", () => {
    try {
      run([confirm, checkIn(55), record, report(false)]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields).toEqual([{ field: "checklist[1]", message: '"wall cleaned" did not pass: dust left' }]);
    }
    expect(() => run([confirm, checkIn(55), report(true)])).toThrow(IllegalStateError);
  });

  it("carries the money paid on the visit with the report, and refuses an amount that is not whole minor units", () => {
    const paid = run([confirm, checkIn(55), record, { ...report(true), collectedMinor: 45_000 } as ServiceCommand]);
    expect(paid.events.at(-1)).toMatchObject({ type: "ReportSubmitted", collectedMinor: 45_000 });
    for (const collectedMinor of [-1, 0.5, Number.NaN]) {
      try {
        run([confirm, checkIn(55), record, { ...report(true), collectedMinor } as ServiceCommand]);
        expect.unreachable();
      } catch (error) {
        expect((error as ValidationError).fields).toEqual([{ field: "collectedMinor", message: "must be a non-negative integer of minor units" }]);
      }
    }
  });

  it("refuses money on an after-sales visit: it delivers nothing to pay for, the case settles it", () => {
    const visit = serviceTask({ afterSalesCase: { caseId: "case-1", caseKind: "repair", goods: [] } });
    expect(run([confirm, checkIn(0), record, report(true)], visit).events.at(-1)).toMatchObject({ type: "ReportSubmitted", collectedMinor: 0 });
    expect(() => run([confirm, checkIn(0), record, { ...report(true), collectedMinor: 100 } as ServiceCommand], visit)).toThrow(/must be 0 on an after-sales visit/);
  });

  it("goes back to work after a refusal and needs a new record for the new report", () => {
    const reported = run([confirm, checkIn(55), record, report(true)]);
    const done = { ...reported.task, status: "done" as const };
    const rework = run([{ type: "StartRework", reason: "lid cracked", now: at(300) }], done, reported.visit);
    expect(rework.events).toEqual([{ type: "ReworkStarted", staffId: "s-1", refusedReportId: "rep-1", round: 1, reason: "lid cracked", at: at(300) }]);
    expect(rework.task).toMatchObject({ status: "in-progress", reworkRound: 1 });
    expect(() => run([report(true)], rework.task, rework.visit)).toThrow(IllegalStateError);
    const again = run([{ ...record, recordId: "r-2" } as ServiceCommand, { ...report(true), reportId: "rep-2" } as ServiceCommand], rework.task, rework.visit);
    expect(again.events.at(-1)).toMatchObject({ type: "ReportSubmitted", reportId: "rep-2", round: 1 });
    // A refusal seen again changes nothing.
    expect(decideService({ type: "StartRework", reason: "again", now: at(301) }, rework.task, rework.visit)).toEqual([]);
  });

  it("records the acceptance of the report awaiting it, once", () => {
    const reported = run([confirm, checkIn(55), record, report(true)]);
    const accepted = run([{ type: "RecordAcceptance", now: at(400) }], reported.task, reported.visit);
    expect(accepted.events).toEqual([{ type: "ReportAccepted", reportId: "rep-1", at: at(400) }]);
    expect(decideService({ type: "RecordAcceptance", now: at(401) }, accepted.task, accepted.visit)).toEqual([]);
  });

  it("takes customer exceptions with their cause and measure", () => {
    const exception = (kind: string, cause = "customer not home"): ServiceCommand => ({
      type: "ReportServiceException",
      staffId: "s-1",
      now,
      exceptionId: "x-2",
      kind,
      cause,
      measure: "rebooked",
      newTime: at(1440),
    });
    expect(run([exception("no-show")]).events).toMatchObject([{ type: "ExceptionReported", kind: "no-show", newTime: at(1440) }]);
    expect(() => run([exception("weather")])).toThrow(ValidationError);
    expect(() => run([exception("no-show", " ")])).toThrow(ValidationError);
  });
});

describe("a step sent again under the caller's id", () => {
  const noShow: Extract<ServiceCommand, { type: "ReportServiceException" }> = {
    type: "ReportServiceException",
    staffId: "s-1",
    now: at(90),
    exceptionId: "x-4",
    kind: "no-show",
    cause: "customer not home",
    measure: "visit again tomorrow",
    newTime: at(1440),
  };
  const asWritten = (command: ServiceCommand): WrittenStep => {
    if (command.type === "WriteServiceRecord") return { step: "record", ...command };
    if (command.type === "ReportServiceException") return { step: "exception", ...command };
    throw new Error(`${command.type} is not written under a caller's id`);
  };

  it("is a retry: nothing is written, announced or moved, even once the task moved on or went to someone else", () => {
    const reported = run([confirm, checkIn(55), record, report(true)]);
    expect(decideService({ ...record, now: at(200) }, reported.task, reported.visit, asWritten(record))).toEqual([]);
    const moved = run([confirm, checkIn(55), noShow]);
    const elsewhere = { ...moved.task, assigneeStaffId: "s-2" };
    expect(decideService({ ...noShow, now: at(95) }, elsewhere, moved.visit, asWritten(noShow))).toEqual([]);
  });

  it("refuses other content under a used id, naming the id and what differs", () => {
    const onSite = run([confirm, checkIn(55)]);
    expect(() => decideService({ ...record, content: "something else" }, onSite.task, onSite.visit, asWritten(record))).toThrow(
      new IllegalStateError("dispatch.record-id-reused", "task task-1 already has a record r-1 with another content: a new record needs an id of its own"),
    );
    expect(() => decideService({ ...noShow, newTime: at(2880), cause: "door locked" }, onSite.task, onSite.visit, asWritten(noShow))).toThrow(
      /task task-1 already has an exception x-4 with another cause, newTime/,
    );
  });

  it("is a new step when only the other kind of step holds the id", () => {
    const onSite = run([confirm, checkIn(55)]);
    expect(decideService({ ...noShow, exceptionId: "r-1" }, onSite.task, onSite.visit, asWritten(record)).map((e) => e.type)).toEqual(["ExceptionReported", "VisitRescheduled"]);
  });
});

describe("moving a visit", () => {
  const move = (overrides: Partial<Extract<ServiceCommand, { type: "RescheduleVisit" }>> = {}): ServiceCommand => ({
    type: "RescheduleVisit",
    staffId: "s-1",
    role: "service-staff",
    now: at(400),
    from: at(1440),
    until: at(1560),
    cause: "the balcony needs a second visit",
    measure: "the same installer comes back with a ladder",
    ...overrides,
  });

  it("moves a rework visit: a new appointment version, arrived at anew, lateness counted from the new time", () => {
    const reported = run([confirm, checkIn(55), record, report(true)]);
    const rework = run([{ type: "StartRework", reason: "balcony missed", now: at(300) }], { ...reported.task, status: "done" }, reported.visit);
    const moved = run([move()], rework.task, rework.visit);
    expect(moved.events).toEqual([
      {
        type: "VisitRescheduled",
        staffId: "s-1",
        assigneeStaffId: "s-1",
        previous: { from: at(60), until: at(180) },
        appointment: { ...rework.visit.appointment!, from: at(1440), until: at(1560), version: 2 },
        cause: "the balcony needs a second visit",
        measure: "the same installer comes back with a ladder",
        at: at(400),
      },
    ]);
    expect(moved.task).toMatchObject({ status: "acknowledged", reworkRound: 1, visit: { from: at(1440), until: at(1560) } });
    expect(moved.visit.checkedInAt).toBeUndefined();
    const arrived = run([checkIn(1450)], moved.task, moved.visit);
    expect(arrived.events[0]).toMatchObject({ type: "CheckedIn", lateMinutes: 10 });
    expect(arrived.task.status).toBe("in-progress");
  });

  it("may be done by the desk, not by other staff, and only for a visit still to be done with an appointment", () => {
    const confirmed = run([confirm]);
    expect(run([move({ staffId: "desk-1", role: "dispatcher" })], confirmed.task, confirmed.visit).events[0]).toMatchObject({ staffId: "desk-1", assigneeStaffId: "s-1" });
    expect(() => run([move({ staffId: "s-2" })], confirmed.task, confirmed.visit)).toThrow(ForbiddenError);
    expect(() => run([move()])).toThrow(IllegalStateError); // no appointment to move
    expect(() => run([move()], { ...confirmed.task, status: "reported" }, confirmed.visit)).toThrow(IllegalStateError);
  });

  it("names every field that is wrong", () => {
    const confirmed = run([confirm]);
    try {
      run([move({ from: at(-60), until: at(-120), cause: "", measure: " " })], confirmed.task, confirmed.visit);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["appointmentUntil", "appointmentFrom", "cause", "measure"]);
    }
  });

  it("follows a no-show's new time, keeping the visit's length; other exceptions and no new time leave it", () => {
    const arrived = run([confirm, checkIn(55)]);
    const noShow = (kind: string, newTime?: Date): ServiceCommand => ({
      type: "ReportServiceException",
      staffId: "s-1",
      now: at(90),
      exceptionId: "x-3",
      kind,
      cause: "customer not home",
      measure: "visit again tomorrow morning",
      ...(newTime ? { newTime } : {}),
    });
    const moved = run([noShow("no-show", at(1440))], arrived.task, arrived.visit);
    expect(moved.events.map((e) => e.type)).toEqual(["ExceptionReported", "VisitRescheduled"]);
    expect(moved.events[0]).toMatchObject({ kind: "no-show", cause: "customer not home", measure: "visit again tomorrow morning", newTime: at(1440) });
    expect(moved.events[1]).toMatchObject({ appointment: { from: at(1440), until: at(1560), version: 2 }, cause: "customer not home" });
    expect(moved.task.status).toBe("acknowledged");
    expect(run([noShow("no-show")], arrived.task, arrived.visit).events.map((e) => e.type)).toEqual(["ExceptionReported"]);
    expect(run([noShow("quality-below-standard", at(1440))], arrived.task, arrived.visit).events.map((e) => e.type)).toEqual(["ExceptionReported"]);
    expect(() => run([noShow("no-show", at(-10))], arrived.task, arrived.visit)).toThrow(ValidationError);
  });
});

describe("an after-sales visit the customer rejected (ADR 025, rework addendum)", () => {
  const visitTask = (overrides: Partial<Task> = {}) => serviceTask({ afterSalesCase: { caseId: "case-1", caseKind: "repair", goods: [] }, ...overrides });
  /** Reported and, as finish-after-sales-visit.ts does, accepted by rule and done. */
  function reportedVisit() {
    const reported = run([confirm, checkIn(55), record, report(true), { type: "RecordAcceptance", now: at(175) }], visitTask());
    return { task: { ...reported.task, status: "done" as const }, visit: reported.visit };
  }
  const rejection = (round: number): ServiceCommand => ({ type: "StartRework", reason: "the customer rejected the visit's report on case case-1", now: at(3000), round });

  it("is visited anew for the round the rejection opens: pending, its technician offered it first, to be arrived at again", () => {
    const done = reportedVisit();
    const reopened = run([rejection(1)], { ...done.task, excludedStaffIds: ["s-2"] }, done.visit);
    expect(reopened.events).toEqual([
      { type: "ReworkStarted", staffId: "s-1", refusedReportId: "rep-1", round: 1, reason: "the customer rejected the visit's report on case case-1", at: at(3000), revisit: true },
    ]);
    // Who declined the refused round's visit may take this new one.
    expect(reopened.task).toMatchObject({ status: "pending", reworkRound: 1, preferredStaffId: "s-1", excludedStaffIds: [] });
    expect(reopened.task.assigneeStaffId).toBeUndefined();
    expect(reopened.visit.checkedInAt).toBeUndefined();
    expect(reopened.visit.lastReport).toEqual({ reportId: "rep-1", round: 0, outcome: "rework" });
  });

  it("opens one round however often the rejection is heard, and none for a round not next", () => {
    const done = reportedVisit();
    expect(decideService(rejection(2), done.task, done.visit)).toEqual([]);
    expect(decideService(rejection(0), done.task, done.visit)).toEqual([]);
    const reopened = run([rejection(1)], done.task, done.visit);
    expect(decideService(rejection(1), reopened.task, reopened.visit)).toEqual([]);
  });

  it("needs its report accepted by rule first, and a visit called off stays so", () => {
    const awaiting = run([confirm, checkIn(55), record, report(true)], visitTask());
    expect(decideService(rejection(1), awaiting.task, awaiting.visit)).toEqual([]);
    const done = reportedVisit();
    expect(decideService(rejection(1), { ...done.task, status: "cancelled" }, done.visit)).toEqual([]);
  });

  it("is not arrived at on the refused round's appointment: a new one is agreed first", () => {
    const done = reportedVisit();
    const reopened = run([rejection(1)], done.task, done.visit);
    const taken = { ...reopened.task, status: "acknowledged" as const, assigneeStaffId: "s-1" };
    // Kept only to number the next appointment: checking in on it would judge the arrival days late against it, watched by no deadline.
    expect(() => decideService({ ...checkIn(4000), exceptionId: "x-2" } as ServiceCommand, taken, reopened.visit)).toThrow(IllegalStateError);
    const agreed = run([{ ...confirm, from: at(4000), until: at(4100), now: at(3100) } as ServiceCommand], taken, reopened.visit);
    expect(decideService({ ...checkIn(4000), exceptionId: "x-2" } as ServiceCommand, agreed.task, agreed.visit).map((e) => e.type)).toEqual(["CheckedIn"]);
  });

  it("ends the new round with a new record and report, after a new appointment agreed and arrived at", () => {
    const done = reportedVisit();
    const reopened = run([rejection(1)], done.task, done.visit);
    const taken = { ...reopened.task, status: "acknowledged" as const, assigneeStaffId: "s-1" };
    const again = run(
      [
        { ...confirm, from: at(4000), until: at(4100), now: at(3100) } as ServiceCommand,
        { ...checkIn(4000), exceptionId: "x-2" } as ServiceCommand,
        { ...record, recordId: "r-2", startedAt: at(4001), finishedAt: at(4050), now: at(4050) } as ServiceCommand,
        { ...report(true), reportId: "rep-2", now: at(4060) } as ServiceCommand,
      ],
      taken,
      reopened.visit,
    );
    expect(again.events.map((e) => e.type)).toEqual(["AppointmentConfirmed", "CheckedIn", "RecordWritten", "ReportSubmitted"]);
    expect(again.events[0]).toMatchObject({ appointment: { version: 2 } });
    expect(again.events.at(-1)).toMatchObject({ reportId: "rep-2", round: 1 });
  });
});
