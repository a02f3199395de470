import type { Actor, EventOrigin } from "@oms/contracts";
import type { Task } from "../../domain/task.ts";

/**
 * Where an event about a task comes from: the chain of the request that created the task
 * (or the caller's own correlation id), caused by that request, with who acted.
 */
export function originOf(task: Task, actor: Actor, now: Date, correlationId?: string): EventOrigin {
  return {
    producer: "dispatch",
    orderId: task.orderId,
    storeId: task.storeId,
    actor,
    correlationId: correlationId || task.origin.correlationId,
    causationId: task.origin.causationId,
    traceparent: task.origin.traceparent,
    now,
  };
}
