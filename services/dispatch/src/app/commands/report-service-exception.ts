import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { requiredStepId } from "./request-ids.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/**
 * The assignee reports a customer no-show or work below standard, with the cause, the measure and the new time.
 * Under the caller's exception id: sent again, it records, announces and moves nothing more, and answers the
 * task as it is.
 */
export function reportServiceException(deps: ServiceStepDeps, request: dispatchApi.ReportServiceExceptionRequest): Promise<Task> {
  const exceptionId = requiredStepId("exceptionId", request.exceptionId);
  return runServiceStep(deps, request, (actor, now) => ({
    type: "ReportServiceException",
    staffId: actor.id,
    now,
    exceptionId,
    kind: request.kind,
    cause: request.cause.trim(),
    measure: request.measure.trim(),
    ...(request.newTime ? { newTime: timeOf("newTime", request.newTime) } : {}),
  }));
}
