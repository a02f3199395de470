import type pg from "pg";
import { cancelTimerUnlessFiring, scheduleTimer } from "@oms/timers";
import { stepDeadlineRepository, type ServiceStep } from "../../adapters/pg/step-deadline-repository.ts";
import type { Appointment } from "../../domain/service-visit.ts";
import { roundSuffix } from "../../domain/order-hold.ts";
import type { Task } from "../../domain/task.ts";
import { TimerKinds } from "../timer-kinds.ts";

/** How long after the appointment a step may run before it is overdue, and how long a warning waits before escalation. */
export interface StepDeadlineSettings {
  /** Arrival is due by the appointment's start plus this. */
  arrivalGraceMs: number;
  /** The report is due by the appointment's end plus this. */
  reportGraceMs: number;
  /** An overdue step the assignee was warned about goes to the store manager this much later. */
  escalateAfterMs: number;
}

/** A step's timer; one restarted after the task's n-th pause for force majeure carries `~fm<n>` (order-hold.ts). */
export const stepTimerKey = (taskId: string, step: ServiceStep, version: number, level: number, round = 0) => `${taskId}/${step}/v${version}/${level}${roundSuffix(round)}`;

export interface StepTimerPayload {
  taskId: string;
  step: ServiceStep;
  version: number;
  level: number;
  /** The task's hold round the timer was scheduled in; absent = 0. */
  round?: number;
}

export async function scheduleStepTimer(tx: pg.ClientBase, orderId: string, payload: StepTimerPayload, dueAt: Date): Promise<void> {
  await scheduleTimer(tx, {
    kind: TimerKinds.stepDeadline,
    key: stepTimerKey(payload.taskId, payload.step, payload.version, payload.level, payload.round),
    orderId,
    dueAt,
    payload: { ...payload },
  });
}

/**
 * Only the task's current hold round can have a step timer pending: a pause calls off the round before.
 * Every caller holds the task, which a firing step timer locks after its own row: one a poller holds is
 * left to fire (waiting for it would deadlock), and finds the step met, its version moved or the task paused.
 */
export async function cancelStepTimers(tx: pg.ClientBase, taskId: string, step: ServiceStep, version: number, round = 0): Promise<void> {
  for (const level of [1, 2]) await cancelTimerUnlessFiring(tx, TimerKinds.stepDeadline, stepTimerKey(taskId, step, version, level, round));
}

/**
 * The appointment sets the visit's time nodes, as durable timers in the caller's
 * transaction; a re-confirmation moves them (the old version's timers are cancelled). On a
 * paused task (its order held for force majeure) the deadlines are written but their timers
 * wait for the order to leave the hold, which starts them (resume-tasks-of-orders.ts).
 */
export async function setStepDeadlines(tx: pg.ClientBase, settings: StepDeadlineSettings, task: Task, appointment: Appointment): Promise<void> {
  const dueAt: Record<ServiceStep, Date> = {
    arrival: new Date(appointment.from.getTime() + settings.arrivalGraceMs),
    report: new Date(appointment.until.getTime() + settings.reportGraceMs),
  };
  const steps = Object.keys(dueAt) as ServiceStep[];
  const round = task.holdRound ?? 0;
  if (appointment.version > 1) for (const step of steps) await cancelStepTimers(tx, task.taskId, step, appointment.version - 1, round);
  await stepDeadlineRepository.set(
    tx,
    steps.map((step) => ({ taskId: task.taskId, step, storeId: task.storeId, staffId: task.assigneeStaffId ?? "", version: appointment.version, dueAt: dueAt[step] })),
  );
  if (task.heldSince) return;
  for (const step of steps) await scheduleStepTimer(tx, task.orderId, { taskId: task.taskId, step, version: appointment.version, level: 1, round }, dueAt[step]);
}

/** The step was done: it leaves the overdue list and its warnings are called off. */
export async function meetStepDeadline(tx: pg.ClientBase, task: Task, step: ServiceStep, at: Date): Promise<void> {
  const open = await stepDeadlineRepository.markMet(tx, task.taskId, step, at);
  if (open) await cancelStepTimers(tx, task.taskId, step, open.version, task.holdRound ?? 0);
}
