import { randomUUID } from "node:crypto";
import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/** The assignee reports a customer no-show or work below standard, with the cause, the measure and the new time. */
export function reportServiceException(deps: ServiceStepDeps, request: dispatchApi.ReportServiceExceptionRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "ReportServiceException",
    staffId: actor.id,
    now,
    exceptionId: randomUUID(),
    kind: request.kind,
    cause: request.cause.trim(),
    measure: request.measure.trim(),
    ...(request.newTime ? { newTime: timeOf("newTime", request.newTime) } : {}),
  }));
}
