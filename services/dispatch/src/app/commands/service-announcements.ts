import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { ServiceEvent } from "../../domain/service-visit.ts";
import type { Task } from "../../domain/task.ts";

const iso = (d: Date | undefined) => d?.toISOString() ?? "";

/**
 * What dispatch says on its topic about a service task's step (the acceptance is fulfillment's to announce).
 * An after-sales visit's report is not the order's delivery: it is told as AfterSalesVisitReported
 * (after-sales-visits.ts), never as ServiceReportSubmitted, on which fulfillment would deliver the order.
 */
export function serviceAnnouncements(task: Pick<Task, "taskId" | "afterSalesCase">, events: readonly ServiceEvent[], origin: EventOrigin): OrderEvent[] {
  const { taskId } = task;
  return events.flatMap((e): OrderEvent[] => {
    switch (e.type) {
      case "AppointmentConfirmed": {
        const a = e.appointment;
        return [
          newEvent(
            EventTypes.ServiceAppointmentConfirmed,
            {
              taskId,
              staffId: e.staffId,
              appointmentFrom: iso(a.from),
              appointmentUntil: iso(a.until),
              siteSurveyNeeded: a.siteSurveyNeeded,
              needs: a.needs,
              toolsAndMaterials: a.toolsAndMaterials,
              confirmedAt: iso(e.confirmedAt),
            },
            origin,
          ),
        ];
      }
      case "CheckedIn":
        return [newEvent(EventTypes.ServiceCheckedIn, { taskId, staffId: e.staffId, checkedInAt: iso(e.at), lateMinutes: e.lateMinutes }, origin)];
      case "ExceptionReported":
        return [
          newEvent(
            EventTypes.ServiceException,
            { taskId, staffId: e.staffId, kind: e.kind, cause: e.cause, measure: e.measure, newTime: iso(e.newTime), exceptionId: e.exceptionId, reportedAt: iso(e.reportedAt) },
            origin,
          ),
        ];
      case "RecordWritten":
        return [
          newEvent(
            EventTypes.ServiceRecordWritten,
            {
              taskId,
              staffId: e.staffId,
              recordId: e.recordId,
              startedAt: iso(e.startedAt),
              finishedAt: iso(e.finishedAt),
              content: e.content,
              customerRemarks: e.customerRemarks,
              photoRefs: e.photoRefs,
              recordedAt: iso(e.recordedAt),
            },
            origin,
          ),
        ];
      case "ReportSubmitted":
        if (task.afterSalesCase) return [];
        return [
          newEvent(
            EventTypes.ServiceReportSubmitted,
            {
              taskId,
              reportId: e.reportId,
              staffId: e.staffId,
              submittedAt: iso(e.submittedAt),
              checklistPassed: true,
              attachmentRefs: e.attachmentRefs,
              collectedMinor: e.collectedMinor,
            },
            origin,
          ),
        ];
      case "ReworkStarted":
        return [newEvent(EventTypes.ServiceReworkStarted, { taskId, staffId: e.staffId, refusedReportId: e.refusedReportId, reason: e.reason, round: e.round }, origin)];
      case "ReportAccepted":
        return [];
      case "VisitRescheduled":
        return [
          newEvent(
            EventTypes.ServiceVisitRescheduled,
            {
              taskId,
              staffId: e.assigneeStaffId,
              cause: e.cause,
              measure: e.measure,
              newTime: iso(e.appointment.from),
              appointmentFrom: iso(e.appointment.from),
              appointmentUntil: iso(e.appointment.until),
              previousFrom: iso(e.previous.from),
              previousUntil: iso(e.previous.until),
              rescheduledBy: e.staffId,
              rescheduledAt: iso(e.at),
            },
            origin,
          ),
        ];
      default: {
        const unknown: never = e;
        throw new Error(`unknown event ${String((unknown as ServiceEvent).type)}`);
      }
    }
  });
}
