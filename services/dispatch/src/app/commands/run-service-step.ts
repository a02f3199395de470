import type pg from "pg";
import type { Actor, dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { serviceVisitRepository } from "../../adapters/pg/service-visit-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decideService, evolveService, type ServiceCommand, type ServiceEvent } from "../../domain/service-visit.ts";
import type { Task } from "../../domain/task.ts";
import { stepIdOf } from "../../domain/written-steps.ts";
import { staffCaller } from "../caller.ts";
import { finishAfterSalesVisit } from "./finish-after-sales-visit.ts";
import { serviceAnnouncements } from "./service-announcements.ts";
import { keepOrReplaceVisitAssignee } from "./keep-or-replace-visit-assignee.ts";
import { meetStepDeadline, setStepDeadlines, type StepDeadlineSettings } from "./step-deadlines.ts";
import { originOf } from "./task-origin.ts";

export interface ServiceStepDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  schema: string;
  clock: () => Date;
  stepDeadlines: StepDeadlineSettings;
}

export interface ServiceStepRequest {
  taskId: string;
  caller: dispatchApi.Caller | undefined;
  correlationId: string;
}

/**
 * Runs one step of a service visit (by its assignee; a move also by the desk): under the task's row lock, the
 * domain decides (told what the task already holds under the step's own id, so a retry changes nothing);
 * the rows, the step deadlines and the announcements are written in the same transaction. Returns the
 * task as it is now.
 */
export async function runServiceStep(deps: ServiceStepDeps, request: ServiceStepRequest, commandOf: (actor: Actor, now: Date) => ServiceCommand): Promise<Task> {
  const actor = staffCaller(request.caller);
  if (!request.taskId) throw new ValidationError([{ field: "taskId", message: "is required" }]);
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const task = await taskRepository.lockById(tx, request.taskId);
      if (!task) throw new NotFoundError("dispatch.task-not-found", `no task ${request.taskId}`);
      const now = deps.clock();
      const command = commandOf(actor, now);
      const visit = await serviceVisitRepository.load(tx, task.taskId);
      const stepId = stepIdOf(command);
      const written = stepId && (await serviceVisitRepository.findWrittenStep(tx, task.taskId, stepId));
      const events = decideService(command, task, visit, written);
      const origin = originOf(task, actor, now, request.correlationId);
      await applyServiceEvents(tx, deps, task, events, origin);
      const reported = events.find((e) => e.type === "ReportSubmitted");
      // An after-sales visit ends with its report: nobody accepts it on the order, the case is told.
      if (task.afterSalesCase && reported) return finishAfterSalesVisit(tx, deps, task, reported, origin);
      const after = events.reduce((state, e) => evolveService(state, e), { task, visit }).task;
      // A visit moved to a new time stays with its assignee only if they can do it then.
      if (events.some((e) => e.type === "VisitRescheduled")) return keepOrReplaceVisitAssignee(tx, deps, after, now, actor, request.correlationId);
      return after;
    }),
  );
}

/** Writes a service decision: rows, time nodes and announcements, in the caller's transaction. */
export async function applyServiceEvents(
  tx: pg.ClientBase,
  deps: { outbox: OutboxWriter; stepDeadlines: StepDeadlineSettings },
  task: Task,
  events: readonly ServiceEvent[],
  origin: Parameters<typeof serviceAnnouncements>[2],
): Promise<void> {
  if (events.length === 0) return;
  await serviceVisitRepository.apply(tx, task.taskId, events);
  for (const e of events) {
    if (e.type === "AppointmentConfirmed" || e.type === "VisitRescheduled") await setStepDeadlines(tx, deps.stepDeadlines, task, e.appointment);
    if (e.type === "CheckedIn") await meetStepDeadline(tx, task, "arrival", e.at);
    if (e.type === "ReportSubmitted") await meetStepDeadline(tx, task, "report", e.submittedAt);
  }
  const announcements = serviceAnnouncements(task, events, origin);
  if (announcements.length > 0) await deps.outbox.append(tx, announcements);
}
