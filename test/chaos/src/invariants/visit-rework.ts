import { EventTypes, Topics, afterSalesVisitTaskId } from "@oms/contracts";
import { eventsOf, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";
import { judgeVisitRework, type VisitCaseRow, type VisitRoundAnnouncements } from "./visit-rework-judgement.ts";

/**
 * Every rejected visit report got exactly one new round that ended (visit-rework-judgement.ts),
 * on after-sales' cases and the case and dispatch topics. The visit task's id names its case
 * (`afterSalesVisitTaskId`), so dispatch's events are tied back to it without asking.
 */
export async function rejectedVisitsReworkedOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every rejected visit report got one new round that ended";
  if (!(await tableExists(context.db, "after_sales", "cases"))) return skipped(name, "after-sales keeps no cases yet");
  const { rows } = await context.db.query<VisitCaseRow>(`
    SELECT case_id, coalesce((visit->>'round')::int, 0) AS round, visit->>'status' AS status,
           coalesce((SELECT array_agg((r->>'round')::int ORDER BY (r->>'round')::int) FROM jsonb_array_elements(visit->'pastRounds') r), '{}') AS rejected_rounds
    FROM after_sales.cases WHERE visit IS NOT NULL AND kind IN ('repair', 'maintenance')`);
  return ((verdict) => result(name, verdict.failures, verdict.figure))(judgeVisitRework(rows, visitRoundAnnouncements(context, rows.map((r) => r.case_id))));
}

/** The rounds each announcement opened or ended, by case, a copy republished after a crash counted once. */
export function visitRoundAnnouncements(context: Pick<CheckContext, "topics" | "planted">, caseIds: readonly string[]): VisitRoundAnnouncements {
  const caseOfTask = new Map(caseIds.map((caseId) => [afterSalesVisitTaskId(caseId), caseId]));
  const seen = new Set<string>();
  const add = (into: Map<string, number[]>, eventId: string, caseId: string | undefined, round: number) => {
    if (!caseId || seen.has(eventId)) return;
    seen.add(eventId);
    into.set(caseId, [...(into.get(caseId) ?? []), round]);
  };
  const announced: VisitRoundAnnouncements = { rejections: new Map(), reworksStarted: new Map(), reports: new Map() };
  for (const e of eventsOf(context, Topics.afterSalesCase, EventTypes.VisitRejected)) add(announced.rejections, e.eventId, e.payload.caseId, e.payload.round);
  for (const e of eventsOf(context, Topics.dispatchAssignment, EventTypes.ServiceReworkStarted)) add(announced.reworksStarted, e.eventId, caseOfTask.get(e.payload.taskId), e.payload.round);
  for (const e of eventsOf(context, Topics.dispatchAssignment, EventTypes.AfterSalesVisitReported)) add(announced.reports, e.eventId, caseOfTask.get(e.payload.taskId), e.payload.round);
  return announced;
}
