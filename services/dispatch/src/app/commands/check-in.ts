import { randomUUID } from "node:crypto";
import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/** The assignee arrived on site (now, or at the time they say): the task is in progress; a late arrival is an exception the customer is told about. */
export function checkIn(deps: ServiceStepDeps, request: dispatchApi.CheckInRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "CheckIn",
    staffId: actor.id,
    now,
    at: timeOf("at", request.at, now),
    lateCause: request.lateCause,
    lateMeasure: request.lateMeasure,
    exceptionId: randomUUID(),
  }));
}
