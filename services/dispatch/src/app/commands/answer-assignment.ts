import type pg from "pg";
import { EventTypes, newEvent, type dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { cancelTimer } from "@oms/timers";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decide, evolve, type Task } from "../../domain/task.ts";
import { staffCaller } from "../caller.ts";
import { TimerKinds } from "../timer-kinds.ts";
import { releaseAssignment } from "./release-assignment.ts";
import { originOf } from "./task-origin.ts";

export interface AnswerDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  schema: string;
  clock: () => Date;
}

/** The assignee takes the task: its deadline timer is cancelled and the acknowledgement announced. Idempotent. */
export async function acknowledgeTask(deps: AnswerDeps, request: dispatchApi.AcknowledgeTaskRequest): Promise<Task> {
  const actor = staffCaller(request.caller);
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const task = await lockTask(tx, request.taskId);
      const now = deps.clock();
      const [event] = decide({ type: "AcknowledgeAssignment", staffId: actor.id, now }, task);
      if (!event || event.type !== "AssignmentAcknowledged") return task;
      await taskRepository.recordAcknowledged(tx, task.taskId, event.assignmentId, now);
      await cancelTimer(tx, TimerKinds.acknowledgeDeadline, event.assignmentId);
      // A task that went overdue through missed acknowledgements is acknowledged at last.
      await stepDeadlineRepository.markMet(tx, task.taskId, "acknowledgement", now);
      await deps.outbox.append(tx, [
        newEvent(
          EventTypes.AssignmentAcknowledged,
          { taskId: task.taskId, assignmentId: event.assignmentId, staffId: event.staffId },
          originOf(task, actor, now, request.correlationId),
        ),
      ]);
      return evolve(task, event);
    }),
  );
}

/** The assignee gives the task back with a reason: it is reassigned to someone else. */
export async function declineTask(deps: AnswerDeps, request: dispatchApi.DeclineTaskRequest): Promise<Task> {
  const actor = staffCaller(request.caller);
  if (!request.reason.trim()) throw new ValidationError([{ field: "reason", message: "is required" }], undefined, "dispatch.decline-without-reason");
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const task = await lockTask(tx, request.taskId);
      return releaseAssignment(
        tx,
        deps,
        task,
        { type: "ReleaseAssignment", cause: "declined", staffId: actor.id, reason: request.reason.trim(), now: deps.clock() },
        actor,
        request.correlationId,
      );
    }),
  );
}

async function lockTask(tx: pg.ClientBase, taskId: string): Promise<Task> {
  if (!taskId) throw new ValidationError([{ field: "taskId", message: "is required" }]);
  const task = await taskRepository.lockById(tx, taskId);
  if (!task) throw new NotFoundError("dispatch.task-not-found", `no task ${taskId}`);
  return task;
}
