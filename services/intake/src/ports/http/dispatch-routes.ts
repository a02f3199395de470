import type pg from "pg";
import type { BillingSettlements } from "../../adapters/grpc-clients/billing.ts";
import { assertCollectable } from "../../app/collected-at-the-door.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DispatchTasks } from "../../adapters/grpc-clients/dispatch.ts";
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
  StaffIdParamsSchema,
  StaffMemberSchema,
  TaskIdParamsSchema,
  VisitMoveSchema,
} from "./dispatch-schemas.ts";
import { staffViewOf, taskViewOf } from "./dispatch-views.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";
import { NoBodySchema } from "./step-schemas.ts";

export interface DispatchRouteDeps {
  dispatch: DispatchTasks;
  /** Asked before a report that says money was taken on the visit (app/collected-at-the-door.ts). */
  settlements: { pool: pg.Pool; billing: BillingSettlements };
}

// The router decodes %2F inside a parameter, so "<orderId>%2Ftask%2F1" arrives as the id itself.
const taskIdOf = (request: FastifyRequest) => parseOrRefuse(TaskIdParamsSchema, request.params, "taskId").taskId;
const staffIdOf = (request: FastifyRequest) => parseOrRefuse(StaffIdParamsSchema, request.params, "staffId").staffId;

/**
 * The staff apps' dispatch steps (answering an assignment, the visit on site, moving it) and
 * staff management, asked of dispatch as the caller. The gateway lets through the roles of
 * domain/permissions.ts; dispatch keeps its own rule on top (only the assignee answers).
 */
// Staff ids are names (rider-pudong): the role goes before the store scope asks dispatch where one works.
const staffManagement = roleFirst("manage-staff");

export function registerDispatchRoutes(app: FastifyInstance, { dispatch, settlements }: DispatchRouteDeps): void {
  // Held to the caller's stores by dispatch, with its other readers' rule (scopedByRoute): a task of another store is answered
  // as one nobody created, as a task of theirs they may not read is, where the store scope would say whose it is.
  app.get("/v1/tasks/:taskId", { config: { permittedFirst: "view-task", scopedByRoute: true } }, async (request) => {
    const context = permittedContextOf(request, "view-task");
    // Asked as the caller: dispatch answers the assignee and the desk only (the gateway lets any staff through to it).
    return taskViewOf(await dispatch.getTaskForCaller(taskIdOf(request), context.caller, request.storeScope, context.correlationId));
  });

  app.post("/v1/tasks/:taskId/acknowledgement", roleFirst("acknowledge-task"), async (request) => {
    const context = permittedContextOf(request, "acknowledge-task");
    const taskId = taskIdOf(request);
    parseOrRefuse(NoBodySchema, request.body ?? {});
    return taskViewOf(await dispatch.acknowledgeTask(taskId, context.caller, context.correlationId));
  });

  app.post("/v1/tasks/:taskId/decline", roleFirst("decline-task"), async (request) => {
    const context = permittedContextOf(request, "decline-task");
    const taskId = taskIdOf(request);
    const { reason } = parseOrRefuse(DeclineSchema, request.body);
    return taskViewOf(await dispatch.declineTask(taskId, context.caller, reason, context.correlationId));
  });

  app.post("/v1/tasks/:taskId/appointment", roleFirst("confirm-appointment"), async (request) => {
    const context = permittedContextOf(request, "confirm-appointment");
    const taskId = taskIdOf(request);
    return taskViewOf(await dispatch.confirmAppointment(taskId, context.caller, parseOrRefuse(AppointmentSchema, request.body), context.correlationId));
  });

  app.post("/v1/tasks/:taskId/check-in", roleFirst("check-in"), async (request) => {
    const context = permittedContextOf(request, "check-in");
    const taskId = taskIdOf(request);
    const { at, lateCause, lateMeasure } = parseOrRefuse(CheckInSchema, request.body ?? {});
    return taskViewOf(await dispatch.checkIn(taskId, context.caller, { at: at ?? "", lateCause: lateCause ?? "", lateMeasure: lateMeasure ?? "" }, context.correlationId));
  });

  app.post("/v1/tasks/:taskId/service-records", roleFirst("write-service-record"), async (request, reply) => {
    const context = permittedContextOf(request, "write-service-record");
    const taskId = taskIdOf(request);
    const record = parseOrRefuse(ServiceRecordSchema, request.body);
    const view = await dispatch.writeServiceRecord(taskId, context.caller, { ...record, customerRemarks: record.customerRemarks ?? "" }, context.correlationId);
    return reply.code(201).send(taskViewOf(view));
  });

  app.post("/v1/tasks/:taskId/service-reports", roleFirst("submit-service-report"), async (request, reply) => {
    const context = permittedContextOf(request, "submit-service-report");
    const taskId = taskIdOf(request);
    const { checklist, attachmentRefs, collectedMinor } = parseOrRefuse(ServiceReportSchema, request.body);
    const report = { checklist: checklist.map((c) => ({ item: c.item, passed: c.passed, note: c.note ?? "" })), attachmentRefs, collectedMinor: collectedMinor ?? 0 };
    if (report.collectedMinor > 0) await assertCollectable(settlements, (await dispatch.getTask(taskId, context.correlationId)).orderId, report.collectedMinor, context.correlationId);
    return reply.code(201).send(taskViewOf(await dispatch.submitServiceReport(taskId, context.caller, report, context.correlationId)));
  });

  app.post("/v1/tasks/:taskId/exceptions", roleFirst("report-service-exception"), async (request, reply) => {
    const context = permittedContextOf(request, "report-service-exception");
    const taskId = taskIdOf(request);
    const { exceptionId, kind, cause, measure, newTime } = parseOrRefuse(ServiceExceptionSchema, request.body);
    const view = await dispatch.reportServiceException(taskId, context.caller, { exceptionId, kind, cause, measure, newTime: newTime ?? "" }, context.correlationId);
    return reply.code(201).send(taskViewOf(view));
  });

  app.post("/v1/tasks/:taskId/reschedule", roleFirst("reschedule-visit"), async (request) => {
    const context = permittedContextOf(request, "reschedule-visit");
    const taskId = taskIdOf(request);
    return taskViewOf(await dispatch.rescheduleVisit(taskId, context.caller, parseOrRefuse(VisitMoveSchema, request.body), context.correlationId));
  });

  app.put("/v1/staff/:staffId", staffManagement, async (request) => {
    const context = permittedContextOf(request, "manage-staff");
    const staffId = staffIdOf(request);
    const member = parseOrRefuse(StaffMemberSchema, request.body);
    const saved = await dispatch.upsertStaff({ ...member, staffId, teamId: member.teamId ?? "", absences: [] }, context.correlationId);
    return staffViewOf(saved);
  });

  app.post("/v1/staff/:staffId/absences", staffManagement, async (request, reply) => {
    const context = permittedContextOf(request, "manage-staff");
    const staffId = staffIdOf(request);
    const { from, until, reason } = parseOrRefuse(AbsenceSchema, request.body);
    return reply.code(201).send(staffViewOf(await dispatch.markAbsent(staffId, { from, until, reason: reason ?? "" }, context.correlationId)));
  });

  app.put("/v1/staff/:staffId/shift", staffManagement, async (request) => {
    const context = permittedContextOf(request, "manage-staff");
    const staffId = staffIdOf(request);
    return staffViewOf(await dispatch.setShift(staffId, parseOrRefuse(ShiftSchema, request.body), context.correlationId));
  });

  app.put("/v1/stores/:storeId/dispatch-settings", roleFirst("set-dispatch-settings"), async (request) => {
    const context = permittedContextOf(request, "set-dispatch-settings");
    const storeId = storeIdOf(request);
    const { acknowledgeWithinSeconds, preferredStaffId } = parseOrRefuse(DispatchSettingsSchema, request.body);
    return dispatch.setStoreSettings({ storeId, acknowledgeWithinSeconds, preferredStaffId: preferredStaffId ?? "" }, context.correlationId);
  });
}
