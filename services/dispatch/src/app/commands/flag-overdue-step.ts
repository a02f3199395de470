import type pg from "pg";
import { EventTypes, newEvent, systemActor, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { activeTaskStatuses, type AssignmentReleased, type Task } from "../../domain/task.ts";
import { scheduleStepTimer, type StepDeadlineSettings, type StepTimerPayload } from "./step-deadlines.ts";
import { originOf } from "./task-origin.ts";

export interface OverdueDeps {
  outbox: OutboxWriter;
  clock: () => Date;
  stepDeadlines: StepDeadlineSettings;
}

/**
 * A step's deadline (or its warning's) passed, in the timer's transaction. If the step is
 * still not done on a task someone holds: level 1 warns the assignee and schedules the
 * escalation; level 2 escalates to the store's managers. A step done meanwhile, a moved
 * appointment (another version), a closed task, a paused one (its order held for force
 * majeure: the timer was left to fire as the pause came; resuming starts it again) or a timer of
 * a hold round before change nothing.
 */
export async function flagOverdueStep(tx: pg.ClientBase, deps: OverdueDeps, timer: StepTimerPayload): Promise<void> {
  const task = await taskRepository.lockById(tx, timer.taskId);
  if (!task || !activeTaskStatuses.includes(task.status) || !task.assigneeStaffId || task.heldSince) return;
  // A timer of a hold round before (a pause left it to fire, put off past the resumption): the step restarted under the current round.
  if ((timer.round ?? 0) !== (task.holdRound ?? 0)) return;
  const deadline = await stepDeadlineRepository.lock(tx, timer.taskId, timer.step);
  if (!deadline || deadline.version !== timer.version || deadline.metAt || deadline.level >= timer.level) return;
  const now = deps.clock();
  await stepDeadlineRepository.markOverdue(tx, task.taskId, timer.step, timer.level, now);
  const escalatedTo = timer.level >= 2 ? await stepDeadlineRepository.storeManagersOf(tx, task.storeId) : [];
  await deps.outbox.append(tx, [
    newEvent(
      EventTypes.StepOverdue,
      { taskId: task.taskId, step: timer.step, staffId: task.assigneeStaffId, level: timer.level, dueAt: deadline.dueAt.toISOString(), escalatedTo },
      originOf(task, systemActor("dispatch"), now),
    ),
  ]);
  if (timer.level === 1) await scheduleStepTimer(tx, task.orderId, { ...timer, level: 2, round: task.holdRound ?? 0 }, new Date(now.getTime() + deps.stepDeadlines.escalateAfterMs));
}

/**
 * An assignment's acknowledgement deadline was missed (in the release's transaction): the
 * task's acknowledgement step is overdue until someone acknowledges it, besides being
 * reassigned. The first miss warns (level 1, about the person who missed); a second miss
 * while the task is still unacknowledged escalates to the store's managers (level 2).
 */
export async function flagMissedAcknowledgement(tx: pg.ClientBase, task: Task, missed: AssignmentReleased, origin: EventOrigin): Promise<OrderEvent> {
  const step = await stepDeadlineRepository.recordMissedAcknowledgement(tx, {
    taskId: task.taskId,
    storeId: task.storeId,
    staffId: missed.staffId,
    dueAt: missed.acknowledgeBy,
    at: missed.releasedAt,
  });
  const escalatedTo = step.level >= 2 ? await stepDeadlineRepository.storeManagersOf(tx, task.storeId) : [];
  return newEvent(
    EventTypes.StepOverdue,
    { taskId: task.taskId, step: "acknowledgement", staffId: missed.staffId, level: step.level, dueAt: missed.acknowledgeBy.toISOString(), escalatedTo },
    origin,
  );
}
