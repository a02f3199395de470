import type pg from "pg";
import { EventTypes, newEvent, type OrderEvent, type dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, settle, TransactionBatcher, withTransaction, type Settled, type TransactionBatching } from "@oms/postgres";
import { cancelTimersUnlessFiring } from "@oms/timers";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { taskRepository, type AssignmentHistoryEntry } from "../../adapters/pg/task-repository.ts";
import { acknowledgeTimerKey } from "../../domain/order-hold.ts";
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

/** The task as an acknowledgement left it, with its assignment history as committed. */
export interface AcknowledgedTask {
  task: Task;
  history: AssignmentHistoryEntry[];
}

/** An assignee's acknowledgement, answered with the task as it is afterwards. */
export type RunAcknowledgement = (request: dispatchApi.AcknowledgeTaskRequest) => Promise<AcknowledgedTask>;

/** DISPATCH_ACKNOWLEDGEMENTS_IN_FLIGHT transactions at once, each up to DISPATCH_ACKNOWLEDGEMENT_BATCH_MAX. */
export const defaultAcknowledgementBatching: TransactionBatching = { maxInFlight: 3, maxBatch: 50 };

/**
 * The assignee takes the task: its deadline timer is cancelled and the acknowledgement
 * announced. Idempotent. Acknowledgements that come faster than commits share a
 * transaction: the tasks locked in one statement (in id order, as every batch locks
 * them), each decided in memory (someone else's task or one no longer waiting answers
 * its own error), and written in five statements for all of them instead of seven each;
 * the answers' assignment histories are read in one more.
 */
export function acknowledgementRunner(
  deps: Omit<AnswerDeps, "schema"> & { logger: Logger },
  batching: TransactionBatching = defaultAcknowledgementBatching,
): RunAcknowledgement {
  const applyThem = (tx: pg.ClientBase, requests: readonly dispatchApi.AcknowledgeTaskRequest[]) => acknowledgeTogether(tx, deps, requests);
  const batcher = new TransactionBatcher<dispatchApi.AcknowledgeTaskRequest, AcknowledgedTask>({ pool: deps.pool, applyTogether: applyThem, logger: deps.logger, name: "acknowledgements" }, batching);
  return (request) => batcher.run(request);
}

async function acknowledgeTogether(
  tx: pg.ClientBase,
  deps: Omit<AnswerDeps, "schema">,
  requests: readonly dispatchApi.AcknowledgeTaskRequest[],
): Promise<Settled<AcknowledgedTask>[]> {
  const tasks = new Map((await taskRepository.lockByIds(tx, [...new Set(requests.map((r) => r.taskId).filter(Boolean))])).map((t) => [t.taskId, t]));
  const now = deps.clock();
  const acknowledged: { taskId: string; assignmentId: string; timerKey: string; at: Date }[] = [];
  const announced: OrderEvent[] = [];
  const settled: Settled<Task>[] = [];
  for (const request of requests) {
    settled.push(
      await settle(async () => {
        const actor = staffCaller(request.caller);
        if (!request.taskId) throw new ValidationError([{ field: "taskId", message: "is required" }]);
        const task = tasks.get(request.taskId);
        if (!task) throw new NotFoundError("dispatch.task-not-found", `no task ${request.taskId}`);
        const [event] = decide({ type: "AcknowledgeAssignment", staffId: actor.id, now }, task);
        if (!event || event.type !== "AssignmentAcknowledged") return task;
        acknowledged.push({ taskId: task.taskId, assignmentId: event.assignmentId, timerKey: acknowledgeTimerKey(event.assignmentId, task.holdRound), at: now });
        announced.push(
          newEvent(EventTypes.AssignmentAcknowledged, { taskId: task.taskId, assignmentId: event.assignmentId, staffId: event.staffId }, originOf(task, actor, now, request.correlationId)),
        );
        const next = evolve(task, event);
        tasks.set(task.taskId, next);
        return next;
      }),
    );
  }
  await taskRepository.recordAcknowledgedMany(tx, acknowledged);
  // Unless a poller holds one: it holds the timer's row and then waits for the task, held here (a deadlock); left to
  // fire, it finds the assignment acknowledged and records nothing.
  await cancelTimersUnlessFiring(tx, TimerKinds.acknowledgeDeadline, acknowledged.map((a) => a.timerKey));
  // A task that went overdue through missed acknowledgements is acknowledged at last.
  await stepDeadlineRepository.markMetMany(tx, acknowledged, "acknowledgement");
  await deps.outbox.append(tx, announced);
  const histories = await taskRepository.assignmentsOfMany(
    tx,
    settled.flatMap((s) => (s.ok ? [s.value.taskId] : [])),
  );
  return settled.map((s) => (s.ok ? { ok: true, value: { task: s.value, history: histories.get(s.value.taskId) ?? [] } } : s));
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
