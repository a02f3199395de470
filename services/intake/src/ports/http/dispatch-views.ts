import type { dispatchApi } from "@oms/contracts";

/** Dispatch's answers as the gateway shows them: no fencing tokens (dispatch's own concurrency detail). */

export function taskViewOf(view: dispatchApi.TaskView) {
  const service = view.service;
  return {
    taskId: view.taskId,
    orderId: view.orderId,
    storeId: view.storeId,
    status: view.status,
    staffId: view.staffId,
    assignmentId: view.assignmentId,
    acknowledgeBy: view.acknowledgeBy,
    excludedStaffIds: view.excludedStaffIds,
    assignments: view.assignments.map(({ fencingToken: _token, ...assignment }) => assignment),
    origin: view.origin || "order",
    caseId: view.caseId,
    caseKind: view.caseKind,
    goods: view.goods.map((g) => ({ sku: g.sku, quantity: g.quantity })),
    ...(service
      ? {
          service: {
            appointmentFrom: service.appointmentFrom,
            appointmentUntil: service.appointmentUntil,
            siteSurveyNeeded: service.siteSurveyNeeded,
            needs: service.needs,
            toolsAndMaterials: service.toolsAndMaterials,
            confirmedAt: service.confirmedAt,
            checkedInAt: service.checkedInAt,
            lateMinutes: service.lateMinutes,
            round: service.round,
            records: service.records.map((r) => ({ recordId: r.recordId, staffId: r.staffId, startedAt: r.startedAt, finishedAt: r.finishedAt, content: r.content, round: r.round })),
            reports: service.reports.map((r) => ({ reportId: r.reportId, staffId: r.staffId, submittedAt: r.submittedAt, outcome: r.outcome, round: r.round, collectedMinor: r.collectedMinor })),
            exceptions: service.exceptions.map((e) => ({ exceptionId: e.exceptionId, kind: e.kind, cause: e.cause, measure: e.measure, newTime: e.newTime, reportedAt: e.reportedAt })),
            ...(service.booking
              ? { booking: { windowStart: service.booking.windowStart, windowEnd: service.booking.windowEnd, assignedStaffId: service.booking.assignedStaffId } }
              : {}),
          },
        }
      : {}),
  };
}

export function staffViewOf(member: dispatchApi.StaffMember) {
  return {
    staffId: member.staffId,
    storeId: member.storeId,
    name: member.name,
    roles: member.roles,
    skills: member.skills,
    regions: member.regions,
    capacity: member.capacity,
    shift: member.shift ?? { start: "", end: "", days: [] },
    timezone: member.timezone,
    active: member.active,
    teamId: member.teamId,
    absences: member.absences,
  };
}
