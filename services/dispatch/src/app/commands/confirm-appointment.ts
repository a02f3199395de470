import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";


/** The assignee agreed the visit with the customer (time, needs, site survey, tools): it sets the arrival and report deadlines. */
export function confirmAppointment(deps: ServiceStepDeps, request: dispatchApi.ConfirmAppointmentRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "ConfirmAppointment",
    staffId: actor.id,
    now,
    from: timeOf("appointmentFrom", request.appointmentFrom),
    until: timeOf("appointmentUntil", request.appointmentUntil),
    siteSurveyNeeded: request.siteSurveyNeeded,
    needs: request.needs.trim(),
    toolsAndMaterials: request.toolsAndMaterials.map((t) => t.trim()).filter(Boolean),
  }));
}
