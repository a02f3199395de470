import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import {
  AbsenceSchema,
  AppointmentSchema,
  CheckInSchema,
  DeclineSchema,
  DispatchSettingsSchema,
  ServiceExceptionSchema,
  ServiceRecordSchema,
  ServiceReportSchema,
  ShiftSchema,
  StaffMemberSchema,
  StaffViewSchema,
  TaskViewSchema,
  VisitMoveSchema,
} from "./dispatch-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, storeParameters } from "./openapi-parts.ts";

const unavailable = problem("Dispatch cannot answer now (retry after Retry-After).");
const noTask = problem("No such task.");
const taskParameters = [
  {
    name: "taskId",
    in: "path",
    required: true,
    description: 'The task id as GET /v1/orders/{orderId} gives it (taskId). It contains slashes ("<orderId>/task/1"): send it URL-encoded.',
    schema: { type: "string" },
    example: "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c41%2Ftask%2F1",
  },
  ...common,
];
const staffParameters = [{ name: "staffId", in: "path", required: true, schema: { type: "string" }, example: "staff-zhang-min" }, ...common];
const who = (action: GatewayAction) => permissions[action].who;

const notNow = "Not allowed in the task's current state (e.g. checking in before the appointment is confirmed).";

/** A step of a task, asked of dispatch's DispatchCommands as the caller. */
const taskStep = (action: GatewayAction, operationId: string, summary: string, detail: string, requestBody?: object, created = false, conflict = notNow) => ({
  post: {
    operationId,
    summary,
    description: `${detail} Dispatch's DispatchCommands. Who: ${who(action)}; dispatch answers only the task's assignee${
      action === "reschedule-visit" ? " (or the desk)" : ""
    }.`,
    parameters: taskParameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [created ? "201" : "200"]: ok("The task after the step.", "Task"),
      "400": problem("Wrong fields, one message each."),
      "403": forbidden(`${who(action)}, or not the task's assignee`),
      "404": noTask,
      "409": problem(conflict),
      "503": unavailable,
    },
  },
});

const staffStep = (method: "put" | "post", operationId: string, summary: string, description: string, schemaName: string, example: unknown, created = false) => ({
  [method]: {
    operationId,
    summary,
    description: `${description} Dispatch's DispatchCommands. Who: ${who("manage-staff")}.`,
    parameters: staffParameters,
    requestBody: body(schemaName, example),
    responses: {
      [created ? "201" : "200"]: ok("The staff member now.", "StaffView"),
      "400": problem("Wrong fields, one message each."),
      "403": forbidden(who("manage-staff")),
      "404": problem("No such staff member."),
      "503": unavailable,
    },
  },
});

const weekdays = { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5] };

/** The staff apps' dispatch steps and staff management. */
export function dispatchPaths() {
  return {
    "/v1/tasks/{taskId}": {
      get: {
        operationId: "getTask",
        summary: "A task: who holds it, its assignment history and, for a service, its visit",
        description:
          `Dispatch's WorkloadQuery, as the caller. Who: ${who("view-task")}; dispatch then shows it only to its assignee, a dispatcher, ` +
          "the store manager, a supervisor or a customer-service agent of its store; anyone else, and staff held to other stores, is " +
          "answered 404 dispatch.task-not-found, word for word as for an id nobody created.",
        parameters: taskParameters,
        responses: { "200": ok("The task.", "Task"), "403": forbidden(who("view-task")), "404": noTask, "503": unavailable },
      },
    },
    "/v1/tasks/{taskId}/acknowledgement": taskStep("acknowledge-task", "acknowledgeTask", "The assignee takes the task", "Before its acknowledgement deadline; after it the task has gone to someone else."),
    "/v1/tasks/{taskId}/decline": taskStep(
      "decline-task",
      "declineTask",
      "The assignee gives the task back, with a reason",
      "Only before acknowledging; the task goes to someone else.",
      body("Decline", { reason: "The van broke down" }),
    ),
    "/v1/tasks/{taskId}/appointment": taskStep(
      "confirm-appointment",
      "confirmAppointment",
      "The visit agreed with the customer",
      "Sets the arrival and report deadlines; confirming again moves them.",
      body("Appointment", {
        appointmentFrom: "2026-12-01T10:00:00+08:00",
        appointmentUntil: "2026-12-01T12:00:00+08:00",
        siteSurveyNeeded: false,
        needs: "Deep cleaning of kitchen and bathrooms",
        toolsAndMaterials: ["steam cleaner", "degreaser"],
      }),
    ),
    "/v1/tasks/{taskId}/check-in": taskStep(
      "check-in",
      "checkIn",
      "The assignee arrived on site",
      "A late arrival is also an exception the customer is told about (cause, measure, new time).",
      { required: false, content: body("CheckIn", { lateCause: "Traffic jam on the ring road", lateMeasure: "The service starts on arrival" }).content },
    ),
    "/v1/tasks/{taskId}/service-records": taskStep(
      "write-service-record",
      "writeServiceRecord",
      "The truthful record of the work on site",
      "Every rework round needs its own record. The record carries your own recordId: a retry with the same id (after a timeout, say) " +
        "writes and announces nothing more and answers the task as it is now; another record under that id is refused.",
      body("ServiceRecord", {
        recordId: "visit-1-record",
        startedAt: "2026-12-01T10:05:00+08:00",
        finishedAt: "2026-12-01T11:50:00+08:00",
        content: "Kitchen, two bathrooms and windows cleaned",
        customerRemarks: "Happy with the kitchen",
        photoRefs: ["photo-before", "photo-after"],
      }),
      true,
      `${notNow} Or the recordId already names another record of the task (code dispatch.record-id-reused).`,
    ),
    "/v1/tasks/{taskId}/service-reports": taskStep(
      "submit-service-report",
      "submitServiceReport",
      "Self-inspection and delivery report",
      "Refused naming every failed checklist item (checklist[i]), and without a record of the current round; money taken on the visit " +
        "(collectedMinor) is refused above what the order still owes (409 payment.more-than-outstanding). The order becomes delivered.",
      body("ServiceReport", { checklist: [{ item: "floors", passed: true }, { item: "kitchen corners", passed: true }], attachmentRefs: ["photo-after"] }),
      true,
    ),
    "/v1/tasks/{taskId}/exceptions": taskStep(
      "report-service-exception",
      "reportServiceException",
      "A customer no-show or work below standard, with cause, measure and new time",
      "For a no-show with a new time, the visit moves to it (as with reschedule). The report carries your own exceptionId: a retry with the " +
        "same id (after a timeout, say) reports nothing more (the customer is not told twice, the visit is not moved again) and answers the " +
        "task as it is now; another report under that id is refused.",
      body("ServiceException", {
        exceptionId: "visit-1-no-show",
        kind: "no-show",
        cause: "Nobody opened the door",
        measure: "Visit again tomorrow morning",
        newTime: "2026-12-02T10:00:00+08:00",
      }),
      true,
      `${notNow} Or the exceptionId already names another report of the task (code dispatch.exception-id-reused).`,
    ),
    "/v1/tasks/{taskId}/reschedule": taskStep(
      "reschedule-visit",
      "rescheduleVisit",
      "Move a visit to a new time",
      "A rework visit, or after a no-show or a late arrival: the customer is told the cause, the measure and the new time; the visit's " +
        "deadlines move; it is arrived at anew; an assignee who cannot do the new time is replaced by someone who can.",
      body("VisitMove", {
        appointmentFrom: "2026-12-03T14:00:00+08:00",
        appointmentUntil: "2026-12-03T16:00:00+08:00",
        cause: "The drain hose must be replaced",
        measure: "A new hose is brought",
      }),
    ),
    "/v1/staff/{staffId}": staffStep("put", "upsertStaff", "Add or replace a staff member", "Takes effect on the next assignment; made inactive, they give back what they have not acknowledged.", "StaffMember", {
      storeId: "store-sh-jingan",
      name: "Zhang Min",
      roles: ["service-staff"],
      skills: [{ skill: "cleaning", level: 2 }],
      regions: ["Jing'an"],
      capacity: 3,
      shift: weekdays,
      timezone: "Asia/Shanghai",
      active: true,
      teamId: "team-cleaning",
    }),
    "/v1/staff/{staffId}/absences": staffStep(
      "post",
      "markAbsent",
      "The person is away",
      "Their unacknowledged tasks it keeps them from (now or at the tasks' times) are reassigned.",
      "Absence",
      { from: "2026-12-01T00:00:00+08:00", until: "2026-12-03T00:00:00+08:00", reason: "sick leave" },
      true,
    ),
    "/v1/staff/{staffId}/shift": staffStep("put", "setShift", "Replace the person's weekly shift", "Unacknowledged tasks it leaves them off shift for are reassigned.", "Shift", weekdays),
    "/v1/stores/{storeId}/dispatch-settings": {
      put: {
        operationId: "setDispatchSettings",
        summary: "The store's dispatch rules: acknowledgement window, pinned person",
        description: `Dispatch's SetStoreSettings. Who: ${who("set-dispatch-settings")}.`,
        parameters: storeParameters,
        requestBody: body("DispatchSettings", { acknowledgeWithinSeconds: 900, preferredStaffId: "" }),
        responses: {
          "200": ok("The settings now.", "DispatchSettings"),
          "400": problem("Wrong fields (e.g. a pinned person of another store)."),
          "403": forbidden(who("set-dispatch-settings")),
          "503": unavailable,
        },
      },
    },
  };
}

export const dispatchSchemas = () => ({
  Decline: jsonSchemaOf(DeclineSchema, "input"),
  Appointment: jsonSchemaOf(AppointmentSchema, "input"),
  CheckIn: jsonSchemaOf(CheckInSchema, "input"),
  ServiceRecord: jsonSchemaOf(ServiceRecordSchema, "input"),
  ServiceReport: jsonSchemaOf(ServiceReportSchema, "input"),
  ServiceException: jsonSchemaOf(ServiceExceptionSchema, "input"),
  VisitMove: jsonSchemaOf(VisitMoveSchema, "input"),
  StaffMember: jsonSchemaOf(StaffMemberSchema, "input"),
  Absence: jsonSchemaOf(AbsenceSchema, "input"),
  Shift: jsonSchemaOf(ShiftSchema, "input"),
  DispatchSettings: jsonSchemaOf(DispatchSettingsSchema, "input"),
  Task: jsonSchemaOf(TaskViewSchema, "output"),
  StaffView: jsonSchemaOf(StaffViewSchema, "output"),
});
