import type pg from "pg";
import { cancelTimerUnlessFiring } from "@oms/timers";
import type { Logger } from "@oms/observability";
import { heldOrderRepository } from "../../adapters/pg/held-order-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { acknowledgeTimerKey } from "../../domain/order-hold.ts";
import { TimerKinds } from "../timer-kinds.ts";
import { cancelStepTimers } from "./step-deadlines.ts";

/** An order held for force majeure, as fulfillment announced it. */
export interface OrderHeld {
  orderId: string;
  /** When the hold began (the status change's time): the time left on a step counts from here. */
  at: Date;
}

/**
 * The orders were held for force majeure (ADR 027, addendum), in the consumer's batch
 * transaction: their open tasks are paused. The acknowledgement deadline of an assignment
 * still waiting and the timers of a visit's open steps are called off (their rows stay:
 * resuming restarts them from then, under keys of the task's next hold round), and the task
 * is marked held, so the engine gives a pending one to nobody and a timer already firing
 * records nothing. The assignee keeps the task. A task paused already (a redelivery, a second
 * declaration) is left as it is. The order's after-sales visits are paused with its own tasks,
 * and the hold is kept (held_orders), so a visit reopened for rework while it lasts waits too
 * (ADR 025, twenty-sixth-session addendum).
 */
export async function pauseTasksOfOrders(tx: pg.ClientBase, holds: readonly OrderHeld[], logger: Logger): Promise<void> {
  if (holds.length === 0) return;
  const heldAt = new Map(holds.map((h) => [h.orderId, h.at]));
  const open = await heldOrderRepository.lockWorkOf(tx, [...heldAt.keys()]);
  await heldOrderRepository.recordHeld(tx, holds);
  const paused: string[] = [];
  for (const task of open) {
    if (task.heldSince) continue;
    const round = task.holdRound ?? 0;
    // Unless a poller holds it: it holds the timer's row and then waits for this task, which the pause holds (a deadlock);
    // left to fire, it finds the task paused and records nothing.
    if (task.status === "assigned" && task.assignmentId) await cancelTimerUnlessFiring(tx, TimerKinds.acknowledgeDeadline, acknowledgeTimerKey(task.assignmentId, round));
    if (task.kind === "service") {
      for (const step of await stepDeadlineRepository.lockOpenOfTask(tx, task.taskId)) {
        if (step.step !== "acknowledgement") await cancelStepTimers(tx, task.taskId, step.step, step.version, round);
      }
    }
    paused.push(task.taskId);
  }
  // One statement per order's time (a batch rarely holds more than one declaration's).
  const byTime = new Map<number, string[]>();
  for (const task of open.filter((t) => paused.includes(t.taskId))) {
    const at = heldAt.get(task.orderId)!.getTime();
    byTime.set(at, [...(byTime.get(at) ?? []), task.taskId]);
  }
  for (const [at, taskIds] of byTime) await taskRepository.recordHeld(tx, taskIds, new Date(at));
  if (paused.length > 0) logger.info({ taskIds: paused, orderIds: [...new Set(open.filter((t) => paused.includes(t.taskId)).map((t) => t.orderId))] }, "tasks paused: their orders are held for force majeure");
}
