import type pg from "pg";
import { cancelTimerUnlessFiring } from "@oms/timers";
import { EventTypes, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { signalPendingTasks, signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { acknowledgeTimerKey } from "../../domain/order-hold.ts";
import { decide, evolve, type ReleaseAssignment, type Task } from "../../domain/task.ts";
import { TimerKinds } from "../timer-kinds.ts";
import { flagMissedAcknowledgement } from "./flag-overdue-step.ts";
import { originOf } from "./task-origin.ts";

export interface ReleaseDeps {
  outbox: OutboxWriter;
  schema: string;
}

/**
 * Ends the task's current assignment unacknowledged (declined, missed, withdrawn) in the
 * caller's transaction, on a task row the caller locked: the outcome is recorded on the
 * assignment, the person is excluded from this task, the task is pending again and every
 * instance's engine is woken to reassign it (under a newer fencing token). Returns the
 * task as it is now; unchanged when the release no longer applies.
 */
export async function releaseAssignment(tx: pg.ClientBase, deps: ReleaseDeps, task: Task, command: ReleaseAssignment, actor: Actor, correlationId?: string): Promise<Task> {
  const [event] = decide(command, task);
  if (!event || event.type !== "AssignmentReleased") return task;
  await taskRepository.recordReleased(tx, {
    taskId: task.taskId,
    assignmentId: event.assignmentId,
    staffId: event.staffId,
    outcome: event.cause,
    reason: event.reason,
    at: event.releasedAt,
  });
  // Unless a poller holds it (it waits for this task, held here: waiting for its row would deadlock); left to fire, it
  // finds the assignment released and records nothing.
  if (event.cause !== "missed") await cancelTimerUnlessFiring(tx, TimerKinds.acknowledgeDeadline, acknowledgeTimerKey(event.assignmentId, task.holdRound));
  // A booked visit waits for its next assignee.
  if (task.kind === "service" && !task.afterSalesCase) await bookingRepository.assignTo(tx, task.orderId, null);
  const origin = originOf(task, actor, event.releasedAt, correlationId);
  const base = { taskId: task.taskId, assignmentId: event.assignmentId, staffId: event.staffId };
  const announce: OrderEvent =
    event.cause === "declined"
      ? newEvent(EventTypes.AssignmentDeclined, { ...base, reason: event.reason }, origin)
      : event.cause === "missed"
        ? newEvent(EventTypes.AssignmentExpired, { ...base, acknowledgeBy: event.acknowledgeBy.toISOString() }, origin)
        : newEvent(EventTypes.AssignmentWithdrawn, { ...base, reason: event.reason }, origin);
  // A miss is also a time node run late: listed as an overdue acknowledgement until someone acknowledges.
  const overdue = event.cause === "missed" ? [await flagMissedAcknowledgement(tx, task, event, origin)] : [];
  await deps.outbox.append(tx, [announce, ...overdue]);
  // The person's capacity is free again and the task waits for the engine.
  await signalWorkloadChanged(tx, deps.schema, [task.storeId]);
  await taskRepository.retryQueuedOfStores(tx, [task.storeId]);
  await signalPendingTasks(tx, deps.schema);
  return evolve(task, event);
}
