import type pg from "pg";
import { EventTypes, newEvent, type EventOrigin } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { serviceVisitRepository } from "../../adapters/pg/service-visit-repository.ts";
import { decide, evolve, type Task } from "../../domain/task.ts";
import { decideService, evolveService, type ServiceEvent } from "../../domain/service-visit.ts";
import { closeTasks } from "./close-tasks-of-orders.ts";
import type { StepDeadlineSettings } from "./step-deadlines.ts";

type ReportSubmitted = Extract<ServiceEvent, { type: "ReportSubmitted" }>;

/**
 * An after-sales visit's report is in (ADR 025), in the step's transaction: nobody accepts it
 * on the order (the order was delivered long ago), so the report is accepted by rule, the task
 * is done and frees its assignee, and the case is told what was done — by whom, when, and the
 * service record of the round — as AfterSalesVisitReported. Returns the task as it now is.
 */
export async function finishAfterSalesVisit(
  tx: pg.ClientBase,
  deps: { outbox: OutboxWriter; schema: string; stepDeadlines: StepDeadlineSettings },
  task: Task,
  report: ReportSubmitted,
  origin: EventOrigin,
): Promise<Task> {
  const visitCase = task.afterSalesCase!;
  const visit = await serviceVisitRepository.load(tx, task.taskId);
  const accepted = decideService({ type: "RecordAcceptance", now: report.submittedAt }, { ...task, status: "reported" }, visit);
  await serviceVisitRepository.apply(tx, task.taskId, accepted);
  const records = (await serviceVisitRepository.recordsOf(tx, task.taskId)).filter((r) => r.round === report.round);
  const record = records.at(-1);
  await deps.outbox.append(tx, [
    newEvent(
      EventTypes.AfterSalesVisitReported,
      {
        taskId: task.taskId,
        caseId: visitCase.caseId,
        reportId: report.reportId,
        staffId: report.staffId,
        submittedAt: report.submittedAt.toISOString(),
        summary: record?.content ?? "",
        recordId: record?.record_id ?? "",
        attachmentRefs: report.attachmentRefs,
        // The round the report ends: the case records each round's report (ADR 025, rework addendum).
        round: report.round,
      },
      origin,
    ),
  ]);
  const reported = [report, ...accepted].reduce((state, e) => evolveService(state, e), { task, visit }).task;
  await closeTasks(tx, deps.schema, [{ task: reported, end: "delivered" }]);
  return decide({ type: "CloseTask", end: "delivered" }, reported).reduce(evolve, reported);
}
