import { dispatchApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { declineTask, type RunAcknowledgement } from "../../app/commands/answer-assignment.ts";
import { bookWindow, type BookingDeps } from "../../app/commands/book-window.ts";
import { checkIn } from "../../app/commands/check-in.ts";
import { confirmAppointment } from "../../app/commands/confirm-appointment.ts";
import { reportServiceException } from "../../app/commands/report-service-exception.ts";
import { rescheduleVisit } from "../../app/commands/reschedule-visit.ts";
import type { ServiceStepDeps } from "../../app/commands/run-service-step.ts";
import { submitServiceReport } from "../../app/commands/submit-service-report.ts";
import { writeServiceRecord } from "../../app/commands/write-service-record.ts";
import { markAbsent, setShift, setStoreSettings, upsertStaffMember } from "../../app/commands/manage-staff.ts";
import { taskView } from "../../app/queries/get-task.ts";

/** The correlation id travels in the request or, failing that, in the call's metadata. */
const correlated = <T extends { correlationId: string }>(request: T, correlationId: string): T => ({
  ...request,
  correlationId: request.correlationId || correlationId,
});

export function dispatchCommandsService(deps: ServiceStepDeps & BookingDeps & { acknowledge: RunAcknowledgement }) {
  return bindService("oms.dispatch.v1.DispatchCommands", dispatchApi.DispatchCommandsService, {
    acknowledgeTask: async (request, call) => {
      const { task, history } = await deps.acknowledge(correlated(request, call.correlationId));
      return taskView(deps.pool, task, history);
    },
    declineTask: async (request, call) => taskView(deps.pool, await declineTask(deps, correlated(request, call.correlationId))),
    upsertStaff: (request) => upsertStaffMember(deps, request),
    markAbsent: (request) => markAbsent(deps, request),
    setShift: (request) => setShift(deps, request),
    setStoreSettings: (request) => setStoreSettings(deps, request),
    confirmAppointment: async (request, call) => taskView(deps.pool, await confirmAppointment(deps, correlated(request, call.correlationId))),
    checkIn: async (request, call) => taskView(deps.pool, await checkIn(deps, correlated(request, call.correlationId))),
    writeServiceRecord: async (request, call) => taskView(deps.pool, await writeServiceRecord(deps, correlated(request, call.correlationId))),
    submitServiceReport: async (request, call) => taskView(deps.pool, await submitServiceReport(deps, correlated(request, call.correlationId))),
    // BookWindowRequest has no correlation id field: it travels in the call's metadata.
    bookWindow: (request, call) => bookWindow(deps, request, call.correlationId),
    reportServiceException: async (request, call) => taskView(deps.pool, await reportServiceException(deps, correlated(request, call.correlationId))),
    rescheduleVisit: async (request, call) => taskView(deps.pool, await rescheduleVisit(deps, correlated(request, call.correlationId))),
  });
}
