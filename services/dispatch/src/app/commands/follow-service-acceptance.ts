import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import { serviceVisitRepository } from "../../adapters/pg/service-visit-repository.ts";
import { signalWorkloadChanged } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { decideService, type ServiceCommand } from "../../domain/service-visit.ts";
import { applyServiceEvents } from "./run-service-step.ts";
import type { StepDeadlineSettings } from "./step-deadlines.ts";
import { systemOriginOf } from "./task-origin.ts";

/** The customer's answer to a service order's delivery, as fulfillment announced it. */
export interface AcceptanceOutcome {
  orderId: string;
  answer: "accepted" | "rework";
  reason: string;
  at: Date;
  /** The fulfillment event, which causes what dispatch says about it. */
  eventId: string;
  correlationId: string;
  traceparent: string;
}

export interface AcceptanceDeps {
  outbox: OutboxWriter;
  schema: string;
  stepDeadlines: StepDeadlineSettings;
}

/**
 * In the consumer's batch transaction: an accepted service closes its report as accepted
 * (first-time acceptance counts on it); a refused one (the order went to rework) puts the
 * same assignee back to work on the task, which needs a new record and report, while the
 * refused report stays recorded. Outcomes are applied in the order they came.
 */
export async function followServiceAcceptance(tx: pg.ClientBase, deps: AcceptanceDeps, outcomes: readonly AcceptanceOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const reported = await serviceVisitRepository.lockReportedServiceTasksOfOrders(tx, [...new Set(outcomes.map((o) => o.orderId))]);
  if (reported.size === 0) return;
  const reopenedStores = new Set<string>();
  for (const outcome of outcomes) {
    // Read again for each outcome: an order's earlier outcome in the batch may have changed it.
    for (const taskId of reported.get(outcome.orderId) ?? []) {
      const task = await taskRepository.findById(tx, taskId);
      if (!task) continue;
      const visit = await serviceVisitRepository.load(tx, taskId);
      const command: ServiceCommand = outcome.answer === "rework" ? { type: "StartRework", reason: outcome.reason, now: outcome.at } : { type: "RecordAcceptance", now: outcome.at };
      const events = decideService(command, task, visit);
      const origin = systemOriginOf(task, outcome);
      await applyServiceEvents(tx, deps, task, events, origin);
      if (events.some((e) => e.type === "ReworkStarted")) reopenedStores.add(task.storeId);
    }
  }
  // A reopened task counts against its assignee again.
  await signalWorkloadChanged(tx, deps.schema, [...reopenedStores]);
}
