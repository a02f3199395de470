import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/**
 * Moves a visit to a new time (a rework visit, after a no-show or a late arrival), by its
 * assignee or the desk: the customer is told the cause, the measure and the new time; the
 * visit's deadlines move; an assignee who cannot do the new time is replaced.
 */
export function rescheduleVisit(deps: ServiceStepDeps, request: dispatchApi.RescheduleVisitRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "RescheduleVisit",
    staffId: actor.id,
    role: actor.role,
    now,
    from: timeOf("appointmentFrom", request.appointmentFrom),
    until: timeOf("appointmentUntil", request.appointmentUntil),
    cause: request.cause.trim(),
    measure: request.measure.trim(),
  }));
}
