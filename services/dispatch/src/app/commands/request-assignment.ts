import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { pendingTask, routeGroupOf, taskKinds, type Task, type TaskKind } from "../../domain/task.ts";
import { optionalTimeOf } from "./request-times.ts";

export type AssignmentRequest = OrderEventOf<typeof EventTypes.AssignmentRequested>;

/**
 * Fulfillment asked for people to do tasks: record them as pending, in the consumer's
 * batch transaction and one statement, and wake the assignment worker at commit. The
 * assignees are chosen later, outside this transaction, under each task's Redis lock.
 * A task id seen before changes nothing. One invalid request fails the batch, so the
 * consumer retries the requests one by one and dead-letters only the invalid one.
 */
export async function requestAssignments(tx: pg.ClientBase, schema: string, requests: readonly AssignmentRequest[]): Promise<void> {
  const inserted = await taskRepository.insertPending(tx, requests.map(taskOf));
  if (inserted > 0) await signalPendingTasks(tx, schema);
}

function taskOf(request: AssignmentRequest): Task {
  const { payload } = request;
  const errors: FieldError[] = [];
  const required = (field: string, value: string) => value.trim() === "" && errors.push({ field, message: "is required" });
  required("taskId", payload.taskId);
  required("orderId", request.orderId);
  required("storeId", request.storeId);
  if (!taskKinds.includes(payload.taskKind as TaskKind)) errors.push({ field: "taskKind", message: `must be one of ${taskKinds.join(", ")}` });
  const dueFrom = optionalTimeOf("dueFrom", payload.dueFrom, errors);
  const dueUntil = optionalTimeOf("dueUntil", payload.dueUntil, errors);
  if (dueFrom && dueUntil && dueUntil < dueFrom) errors.push({ field: "dueUntil", message: "is before dueFrom" });
  if (errors.length > 0) {
    throw new ValidationError(errors, `assignment request ${request.eventId} is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`, "dispatch.invalid-assignment-request");
  }
  return pendingTask({
    taskId: payload.taskId,
    orderId: request.orderId,
    storeId: request.storeId,
    kind: payload.taskKind as TaskKind,
    region: payload.region,
    routeGroup: routeGroupOf(payload.taskKind as TaskKind, payload.region),
    skills: payload.skills,
    priority: payload.priority,
    ...(dueFrom ? { dueFrom } : {}),
    ...(dueUntil ? { dueUntil } : {}),
    createdAt: request.occurredAt,
    origin: { correlationId: request.correlationId || request.eventId, causationId: request.eventId, traceparent: request.traceparent },
  });
}
