import { randomUUID } from "node:crypto";
import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/** The assignee records what was done on site: times, content, the customer's remarks, photos. */
export function writeServiceRecord(deps: ServiceStepDeps, request: dispatchApi.WriteServiceRecordRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "WriteServiceRecord",
    staffId: actor.id,
    now,
    recordId: randomUUID(),
    startedAt: timeOf("startedAt", request.startedAt),
    finishedAt: timeOf("finishedAt", request.finishedAt),
    content: request.content.trim(),
    customerRemarks: request.customerRemarks.trim(),
    photoRefs: request.photoRefs.filter(Boolean),
  }));
}
