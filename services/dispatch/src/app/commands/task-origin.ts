import { systemActor, type Actor, type EventOrigin } from "@oms/contracts";
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

/** What caused a system step on a task: an event heard, in its own chain. */
export interface CausingEvent {
  eventId: string;
  correlationId: string;
  traceparent: string;
  at: Date;
}

/**
 * Where an event dispatch takes on its own about a task comes from, caused by an event it heard
 * (a customer's acceptance or rejection): that event's chain, the task's where it has none.
 */
export function systemOriginOf(task: Task, cause: CausingEvent): EventOrigin {
  return {
    producer: "dispatch",
    orderId: task.orderId,
    storeId: task.storeId,
    actor: systemActor("dispatch"),
    correlationId: cause.correlationId || task.origin.correlationId,
    causationId: cause.eventId,
    traceparent: cause.traceparent || task.origin.traceparent,
    now: cause.at,
  };
}
