/**
 * The task of an after-sales visit (ADR 025) is named after its case, so that dispatch
 * creates it once however often CaseAccepted is delivered, and after-sales knows which case
 * a dispatch event about a task is for without asking (case ids are unique chain-wide).
 */
const visitTaskPrefix = "after-sales-visit:";

/** The id of the visit task dispatch runs for an accepted repair or maintenance case. */
export function afterSalesVisitTaskId(caseId: string): string {
  return `${visitTaskPrefix}${caseId}`;
}

/** The case a task is the visit of, or undefined for a task of an order's own. */
export function caseIdOfVisitTask(taskId: string): string | undefined {
  return taskId.startsWith(visitTaskPrefix) ? taskId.slice(visitTaskPrefix.length) || undefined : undefined;
}
