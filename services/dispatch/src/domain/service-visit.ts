/**
 * A service task on site (DOMAIN.md, service execution and delivery): the assignee agrees
 * the visit with the customer, arrives (late arrivals are exceptions the customer is told
 * about), keeps a truthful service record, inspects the work against a checklist and
 * submits the delivery report. The customer's refusal sends the same assignee back to
 * work (a rework round) and needs a new record and report; refused reports stay. A visit
 * that has to happen again (a rework visit, a customer who was not there, a late arrival)
 * is moved to a new time: a new appointment, arrived at anew, with the customer told the
 * cause, the measure and the new time. Pure: time and ids come in the commands.
 */
import { ForbiddenError, IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import type { Task } from "./task.ts";
import { isRepeatOfException, isRepeatOfRecord, type WrittenStep } from "./written-steps.ts";

export interface Appointment {
  from: Date;
  until: Date;
  siteSurveyNeeded: boolean;
  needs: string;
  toolsAndMaterials: string[];
  /** One more for every confirmation: it keys the step deadlines. */
  version: number;
}

export type ReportOutcome = "awaiting-acceptance" | "accepted" | "rework";

export interface ServiceVisit {
  appointment?: Appointment;
  checkedInAt?: Date;
  /**
   * The appointment in force was already arrived at, in a round the customer then rejected: an
   * after-sales visit reopened for rework keeps it only to number the next one (ADR 025, rework
   * addendum), so it is not arrived at again until a new one is agreed.
   */
  appointmentSpent?: boolean;
  /** Rework rounds that have a service record. */
  roundsWithRecords: number[];
  /** The latest report, if any. */
  lastReport?: { reportId: string; round: number; outcome: ReportOutcome };
}

export const emptyVisit: ServiceVisit = { roundsWithRecords: [] };

export interface ChecklistItem {
  item: string;
  passed: boolean;
  note: string;
}

export const customerExceptionKinds = ["no-show", "quality-below-standard"] as const;

/** Who besides the assignee may move a visit: the desk that coordinates problems with the customer. */
export const visitDeskRoles = ["dispatcher", "store-manager", "customer-service"] as const;
export type ExceptionKind = "late-arrival" | (typeof customerExceptionKinds)[number];

interface ByAssignee {
  staffId: string;
  now: Date;
}

export type ServiceCommand =
  | (ByAssignee & { type: "ConfirmAppointment"; from: Date; until: Date; siteSurveyNeeded: boolean; needs: string; toolsAndMaterials: string[] })
  | (ByAssignee & { type: "CheckIn"; at: Date; lateCause: string; lateMeasure: string; exceptionId: string })
  | (ByAssignee & { type: "WriteServiceRecord"; recordId: string; startedAt: Date; finishedAt: Date; content: string; customerRemarks: string; photoRefs: string[] })
  | (ByAssignee & { type: "SubmitServiceReport"; reportId: string; checklist: ChecklistItem[]; attachmentRefs: string[]; collectedMinor: number })
  | (ByAssignee & { type: "ReportServiceException"; exceptionId: string; kind: string; cause: string; measure: string; newTime?: Date })
  | (ByAssignee & { type: "RescheduleVisit"; role: string; from: Date; until: Date; cause: string; measure: string })
  /**
   * The customer refused the report. `round`: an after-sales visit's rejection names the round
   * it opens (after-sales' VisitRejected), so a redelivery opens none; an order's refusal has none.
   */
  | { type: "StartRework"; reason: string; now: Date; round?: number }
  | { type: "RecordAcceptance"; now: Date };

export type ServiceEvent =
  | { type: "AppointmentConfirmed"; staffId: string; appointment: Appointment; confirmedAt: Date }
  | { type: "CheckedIn"; staffId: string; at: Date; lateMinutes: number }
  | { type: "ExceptionReported"; staffId: string; exceptionId: string; kind: ExceptionKind; cause: string; measure: string; newTime?: Date; reportedAt: Date }
  | { type: "RecordWritten"; staffId: string; recordId: string; round: number; startedAt: Date; finishedAt: Date; content: string; customerRemarks: string; photoRefs: string[]; recordedAt: Date }
  | { type: "ReportSubmitted"; staffId: string; reportId: string; round: number; checklist: ChecklistItem[]; attachmentRefs: string[]; collectedMinor: number; submittedAt: Date }
  /**
   * `revisit`: an after-sales visit, done and its technician freed days ago, is visited anew: the
   * task is pending again with `staffId` (who did the refused round) offered it first, a new
   * appointment to agree and to arrive at. An order's refused service goes straight back to its assignee.
   */
  | { type: "ReworkStarted"; staffId: string; refusedReportId: string; round: number; reason: string; at: Date; revisit?: boolean }
  | { type: "ReportAccepted"; reportId: string; at: Date }
  | {
      type: "VisitRescheduled";
      /** Who moved it: the assignee, or someone at the desk. */
      staffId: string;
      /** Who held the visit when it moved ("" when nobody did). */
      assigneeStaffId: string;
      previous: { from: Date; until: Date };
      appointment: Appointment;
      cause: string;
      measure: string;
      at: Date;
    };

/** How far ahead of the server's clock a reported time may be (phones drift). */
const clockToleranceMs = 5 * 60_000;

export function lateMinutesOf(appointment: Appointment, arrivedAt: Date): number {
  return Math.max(0, Math.floor((arrivedAt.getTime() - appointment.from.getTime()) / 60_000));
}

/** `written`: what the task already holds under the command's step id (written-steps.ts), if anything. */
export function decideService(command: ServiceCommand, task: Task, visit: ServiceVisit, written?: WrittenStep): ServiceEvent[] {
  if (task.kind !== "service") throw new IllegalStateError("dispatch.not-a-service-task", `task ${task.taskId} is a ${task.kind}, not a service`);
  const round = task.reworkRound ?? 0;
  switch (command.type) {
    case "ConfirmAppointment": {
      requireAssignee(task, command.staffId, ["acknowledged"]);
      const errors: FieldError[] = [];
      if (command.until <= command.from) errors.push({ field: "appointmentUntil", message: "must be after appointmentFrom" });
      if (!command.needs.trim()) errors.push({ field: "needs", message: "is required: what the customer needs" });
      if (errors.length > 0) throw new ValidationError(errors);
      const { type: _type, staffId, now, ...agreed } = command;
      return [{ type: "AppointmentConfirmed", staffId, appointment: { ...agreed, version: (visit.appointment?.version ?? 0) + 1 }, confirmedAt: now }];
    }
    case "CheckIn": {
      if (visit.checkedInAt && task.assigneeStaffId === command.staffId) return [];
      requireAssignee(task, command.staffId, ["acknowledged"]);
      if (!visit.appointment) throw new IllegalStateError("dispatch.no-appointment", `task ${task.taskId} has no confirmed appointment`);
      if (visit.appointmentSpent) {
        throw new IllegalStateError("dispatch.no-appointment", `task ${task.taskId} is visited anew in rework round ${round}: agree a new appointment with the customer before arriving`);
      }
      if (command.at.getTime() > command.now.getTime() + clockToleranceMs) throw new ValidationError([{ field: "at", message: "is in the future" }]);
      const lateMinutes = lateMinutesOf(visit.appointment, command.at);
      const checkedIn: ServiceEvent = { type: "CheckedIn", staffId: command.staffId, at: command.at, lateMinutes };
      if (lateMinutes === 0) return [checkedIn];
      return [
        checkedIn,
        {
          type: "ExceptionReported",
          staffId: command.staffId,
          exceptionId: command.exceptionId,
          kind: "late-arrival",
          cause: command.lateCause.trim() || `arrived ${lateMinutes} minutes after the appointment`,
          measure: command.lateMeasure.trim() || "the service starts on arrival",
          newTime: command.at,
          reportedAt: command.now,
        },
      ];
    }
    case "WriteServiceRecord": {
      // Before the assignee's checks: since the first call, the task may have been reported or gone to someone else.
      if (isRepeatOfRecord(task.taskId, command, written)) return [];
      requireAssignee(task, command.staffId, ["in-progress"]);
      const errors: FieldError[] = [];
      if (!command.content.trim()) errors.push({ field: "content", message: "is required: what was done" });
      if (command.finishedAt < command.startedAt) errors.push({ field: "finishedAt", message: "is before startedAt" });
      if (command.finishedAt.getTime() > command.now.getTime() + clockToleranceMs) errors.push({ field: "finishedAt", message: "is in the future" });
      if (errors.length > 0) throw new ValidationError(errors);
      const { type: _type, now, ...record } = command;
      return [{ type: "RecordWritten", ...record, round, recordedAt: now }];
    }
    case "SubmitServiceReport": {
      requireAssignee(task, command.staffId, ["in-progress"]);
      if (command.checklist.length === 0) throw new ValidationError([{ field: "checklist", message: "is required: the self-inspection" }]);
      if (!Number.isSafeInteger(command.collectedMinor) || command.collectedMinor < 0) {
        throw new ValidationError([{ field: "collectedMinor", message: "must be a non-negative integer of minor units" }]);
      }
      // An after-sales visit delivers nothing to pay for: money between the customer and the store is settled on the case.
      if (task.afterSalesCase && command.collectedMinor > 0) {
        throw new ValidationError([{ field: "collectedMinor", message: `must be 0 on an after-sales visit: money is settled on case ${task.afterSalesCase.caseId}` }]);
      }
      const failed = command.checklist.flatMap((c, i) => (c.passed ? [] : [{ field: `checklist[${i}]`, message: `"${c.item}" did not pass${c.note ? `: ${c.note}` : ""}` }]));
      if (failed.length > 0) {
        throw new ValidationError(failed, `self-inspection failed: ${command.checklist.filter((c) => !c.passed).map((c) => c.item).join(", ")}`, "dispatch.self-inspection-failed");
      }
      if (!visit.roundsWithRecords.includes(round)) {
        throw new IllegalStateError("dispatch.service-record-missing", `task ${task.taskId} has no service record${round > 0 ? " since its rework" : ""}: write one before reporting`);
      }
      const { type: _type, now, ...report } = command;
      return [{ type: "ReportSubmitted", ...report, round, submittedAt: now }];
    }
    case "ReportServiceException": {
      // Before the assignee's checks: a visit the first call moved may have gone to someone who can do the new time.
      if (isRepeatOfException(task.taskId, command, written)) return [];
      requireAssignee(task, command.staffId, ["acknowledged", "in-progress", "reported"]);
      const errors: FieldError[] = [];
      if (!(customerExceptionKinds as readonly string[]).includes(command.kind)) errors.push({ field: "kind", message: `must be one of ${customerExceptionKinds.join(", ")}` });
      if (!command.cause.trim()) errors.push({ field: "cause", message: "is required: the customer is told the cause" });
      if (!command.measure.trim()) errors.push({ field: "measure", message: "is required: the customer is told what is done about it" });
      // A customer who was not there is visited again at the new time: the appointment moves with it.
      const moves = command.kind === "no-show" && command.newTime !== undefined && visit.appointment !== undefined && task.status !== "reported";
      if (moves && command.newTime!.getTime() < command.now.getTime() - clockToleranceMs) errors.push({ field: "newTime", message: "is in the past" });
      if (errors.length > 0) throw new ValidationError(errors);
      const { type: _type, now, ...exception } = command;
      const reported: ServiceEvent = { type: "ExceptionReported", ...exception, kind: command.kind as ExceptionKind, reportedAt: now };
      if (!moves) return [reported];
      const length = visit.appointment!.until.getTime() - visit.appointment!.from.getTime();
      return [reported, rescheduled(task, visit.appointment!, command.staffId, command.newTime!, new Date(command.newTime!.getTime() + length), command.cause, command.measure, now)];
    }
    case "RescheduleVisit": {
      if (task.assigneeStaffId !== command.staffId && !(visitDeskRoles as readonly string[]).includes(command.role)) {
        throw new ForbiddenError("dispatch.not-the-assignee", `only the assignee of task ${task.taskId} or ${visitDeskRoles.join(", ")} may move its visit`);
      }
      if (!["pending", "assigned", "acknowledged", "in-progress"].includes(task.status)) {
        throw new IllegalStateError("dispatch.visit-not-movable", `task ${task.taskId} is ${task.status}: only a visit still to be done can be moved`);
      }
      if (!visit.appointment) throw new IllegalStateError("dispatch.no-appointment", `task ${task.taskId} has no confirmed appointment to move: confirm one`);
      const errors: FieldError[] = [];
      if (command.until <= command.from) errors.push({ field: "appointmentUntil", message: "must be after appointmentFrom" });
      if (command.from.getTime() < command.now.getTime() - clockToleranceMs) errors.push({ field: "appointmentFrom", message: "is in the past" });
      if (!command.cause.trim()) errors.push({ field: "cause", message: "is required: the customer is told the cause" });
      if (!command.measure.trim()) errors.push({ field: "measure", message: "is required: the customer is told what is done about it" });
      if (errors.length > 0) throw new ValidationError(errors);
      return [rescheduled(task, visit.appointment, command.staffId, command.from, command.until, command.cause, command.measure, command.now)];
    }
    case "StartRework": {
      // Only a reported service comes back; a refusal seen again (or of a task never reported) changes nothing.
      if (task.status !== "reported" && task.status !== "done") return [];
      if (!task.assigneeStaffId || !visit.lastReport) return [];
      const revisit = !!task.afterSalesCase;
      // An after-sales visit's report was accepted by rule (ADR 025); the case's rejection opens the next round only.
      const refusable = revisit ? visit.lastReport.outcome === "accepted" && command.round === round + 1 : visit.lastReport.outcome === "awaiting-acceptance";
      if (!refusable) return [];
      const started: Extract<ServiceEvent, { type: "ReworkStarted" }> = { type: "ReworkStarted", staffId: task.assigneeStaffId, refusedReportId: visit.lastReport.reportId, round: round + 1, reason: command.reason, at: command.now };
      return [revisit ? { ...started, revisit } : started];
    }
    case "RecordAcceptance": {
      if (visit.lastReport?.outcome !== "awaiting-acceptance") return [];
      return [{ type: "ReportAccepted", reportId: visit.lastReport.reportId, at: command.now }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${String((unknown as ServiceCommand).type)}`);
    }
  }
}

/** The visit moved to [from, until): a new appointment version (its time nodes are set anew), the rest as agreed. */
function rescheduled(task: Task, current: Appointment, staffId: string, from: Date, until: Date, cause: string, measure: string, at: Date): ServiceEvent {
  return {
    type: "VisitRescheduled",
    staffId,
    assigneeStaffId: task.assigneeStaffId ?? "",
    previous: { from: current.from, until: current.until },
    appointment: { ...current, from, until, version: current.version + 1 },
    cause,
    measure,
    at,
  };
}

function requireAssignee(task: Task, staffId: string, statuses: readonly Task["status"][]): void {
  if (task.assigneeStaffId !== staffId) throw new ForbiddenError("dispatch.not-the-assignee", `task ${task.taskId} is not assigned to ${staffId}`);
  if (!statuses.includes(task.status)) {
    throw new IllegalStateError("dispatch.service-step-out-of-order", `task ${task.taskId} is ${task.status}; this step needs it ${statuses.join(" or ")}`);
  }
}

/** The task and its visit after a service event. */
export function evolveService(state: { task: Task; visit: ServiceVisit }, event: ServiceEvent): { task: Task; visit: ServiceVisit } {
  const { task, visit } = state;
  switch (event.type) {
    case "AppointmentConfirmed": {
      const { appointmentSpent: _spent, ...rest } = visit;
      return { task: { ...task, visit: { from: event.appointment.from, until: event.appointment.until } }, visit: { ...rest, appointment: event.appointment } };
    }
    case "CheckedIn":
      return { task: { ...task, status: "in-progress" }, visit: { ...visit, checkedInAt: event.at } };
    case "ExceptionReported":
      return state;
    case "RecordWritten":
      return { task, visit: { ...visit, roundsWithRecords: [...new Set([...visit.roundsWithRecords, event.round])] } };
    case "ReportSubmitted":
      return { task: { ...task, status: "reported" }, visit: { ...visit, lastReport: { reportId: event.reportId, round: event.round, outcome: "awaiting-acceptance" } } };
    case "ReworkStarted": {
      const lastReport = visit.lastReport ? { lastReport: { ...visit.lastReport, outcome: "rework" as const } } : {};
      if (!event.revisit) return { task: { ...task, status: "in-progress", reworkRound: event.round }, visit: { ...visit, ...lastReport } };
      // Visited anew: nobody holds it until the engine gives it (its last technician first), and it is arrived at anew. A new
      // visit on another day: who declined or missed the refused round's may take this one.
      const { assigneeStaffId: _assignee, assignmentId: _assignment, acknowledgeBy: _deadline, queuedReason: _reason, ...rest } = task;
      const { checkedInAt: _arrived, ...visitRest } = visit;
      const spent = visit.appointment ? { appointmentSpent: true } : {};
      return { task: { ...rest, status: "pending", reworkRound: event.round, preferredStaffId: event.staffId, excludedStaffIds: [] }, visit: { ...visitRest, ...spent, ...lastReport } };
    }
    case "ReportAccepted":
      return { task, visit: { ...visit, ...(visit.lastReport ? { lastReport: { ...visit.lastReport, outcome: "accepted" } } : {}) } };
    case "VisitRescheduled": {
      // A new visit: arrived at anew (so on site no more), at the new time.
      const { checkedInAt: _arrived, appointmentSpent: _spent, ...rest } = visit;
      return { task: { ...task, status: task.status === "in-progress" ? "acknowledged" : task.status, visit: { from: event.appointment.from, until: event.appointment.until } }, visit: { ...rest, appointment: event.appointment } };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as ServiceEvent).type)}`);
    }
  }
}
