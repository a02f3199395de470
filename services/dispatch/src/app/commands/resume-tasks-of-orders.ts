import type pg from "pg";
import type { Logger } from "@oms/observability";
import { scheduleTimer } from "@oms/timers";
import { heldOrderRepository } from "../../adapters/pg/held-order-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { storeSettingsRepository } from "../../adapters/pg/store-settings-repository.ts";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { acknowledgeTimerKey, planResume } from "../../domain/order-hold.ts";
import { TimerKinds } from "../timer-kinds.ts";
import { scheduleStepTimer, type StepDeadlineSettings } from "./step-deadlines.ts";

export interface ResumeDeps {
  schema: string;
  clock: () => Date;
  /** The acknowledgement window when the store sets none (DISPATCH_ACKNOWLEDGE_MINUTES). */
  acknowledgeWithinMs: number;
  stepDeadlines: StepDeadlineSettings;
}

/**
 * The orders left their force-majeure hold (resumed, lifted, moved to the carrier), in the
 * consumer's batch transaction: their paused tasks run again from now (order-hold.ts says
 * how each clock restarts). The restarted timers carry the round the pause opened, so no key
 * is ever used twice; an assignment's deadline moves on its row too, so the task, the
 * worklists and a later miss all name the deadline that counted. A pending task is due for
 * the engine at once. Tasks not paused (never held, or resumed already) are left. The order's
 * after-sales visits resume with its own tasks, and the order is no longer held.
 */
export async function resumeTasksOfOrders(tx: pg.ClientBase, deps: ResumeDeps, orderIds: readonly string[], logger: Logger): Promise<void> {
  if (orderIds.length === 0) return;
  const orders = [...new Set(orderIds)];
  const paused = (await heldOrderRepository.lockWorkOf(tx, orders)).filter((t) => t.heldSince);
  await heldOrderRepository.recordResumed(tx, orders);
  if (paused.length === 0) return;
  const now = deps.clock();
  for (const task of paused) {
    const round = task.holdRound ?? 0;
    const settings = await storeSettingsRepository.find(tx, task.storeId);
    const acknowledgeWithinMs = settings.acknowledgeWithinSeconds ? settings.acknowledgeWithinSeconds * 1_000 : deps.acknowledgeWithinMs;
    const open = task.kind === "service" ? await stepDeadlineRepository.lockOpenOfTask(tx, task.taskId) : [];
    const plan = planResume(task, open, now, { acknowledgeWithinMs, escalateAfterMs: deps.stepDeadlines.escalateAfterMs });
    if (plan.acknowledgeBy && task.assignmentId) {
      await taskRepository.moveAcknowledgeBy(tx, task.assignmentId, plan.acknowledgeBy);
      await scheduleTimer(tx, {
        kind: TimerKinds.acknowledgeDeadline,
        key: acknowledgeTimerKey(task.assignmentId, round),
        orderId: task.orderId,
        dueAt: plan.acknowledgeBy,
        payload: { taskId: task.taskId, assignmentId: task.assignmentId },
      });
    }
    for (const restart of plan.steps) {
      const deadline = open.find((d) => d.step === restart.step)!;
      if (restart.level === 1) await stepDeadlineRepository.moveDue(tx, task.taskId, restart.step, restart.dueAt);
      await scheduleStepTimer(tx, task.orderId, { taskId: task.taskId, step: restart.step, version: deadline.version, level: restart.level, round }, restart.dueAt);
    }
  }
  await taskRepository.recordResumed(
    tx,
    paused.map((t) => t.taskId),
  );
  if (paused.some((t) => t.status === "pending")) await signalPendingTasks(tx, deps.schema);
  logger.info({ taskIds: paused.map((t) => t.taskId) }, "tasks resumed: their orders left the force-majeure hold");
}
