import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { requiredStepId } from "./request-ids.ts";
import { timeOf } from "./request-times.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/**
 * The assignee records what was done on site: times, content, the customer's remarks, photos. Under
 * the caller's record id: sent again, it writes and announces nothing more and answers the task as it is.
 */
export function writeServiceRecord(deps: ServiceStepDeps, request: dispatchApi.WriteServiceRecordRequest): Promise<Task> {
  const recordId = requiredStepId("recordId", request.recordId);
  return runServiceStep(deps, request, (actor, now) => ({
    type: "WriteServiceRecord",
    staffId: actor.id,
    now,
    recordId,
    startedAt: timeOf("startedAt", request.startedAt),
    finishedAt: timeOf("finishedAt", request.finishedAt),
    content: request.content.trim(),
    customerRemarks: request.customerRemarks.trim(),
    photoRefs: request.photoRefs.filter(Boolean),
  }));
}
