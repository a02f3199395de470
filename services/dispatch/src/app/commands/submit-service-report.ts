import { randomUUID } from "node:crypto";
import type { dispatchApi } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";
import { runServiceStep, type ServiceStepDeps } from "./run-service-step.ts";

/**
 * The assignee's self-inspection and delivery report: refused, naming the failed items,
 * unless every checklist item passed, and refused without a service record. Announced
 * as ServiceReportSubmitted, on which fulfillment moves the order to delivered; money the
 * customer paid on the visit travels with it, as a rider's does with the delivery.
 */
export function submitServiceReport(deps: ServiceStepDeps, request: dispatchApi.SubmitServiceReportRequest): Promise<Task> {
  return runServiceStep(deps, request, (actor, now) => ({
    type: "SubmitServiceReport",
    staffId: actor.id,
    now,
    reportId: randomUUID(),
    checklist: request.checklist.map((c) => ({ item: c.item.trim(), passed: c.passed, note: c.note.trim() })),
    attachmentRefs: request.attachmentRefs.filter(Boolean),
    collectedMinor: request.collectedMinor,
  }));
}
