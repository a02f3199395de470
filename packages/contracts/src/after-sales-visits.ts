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

/**
 * Billing refunds a resolved case under this reference (ADR 017), so the case is refunded once
 * however often CaseResolved is heard, and after-sales knows which case a RefundIssued is for.
 */
const caseRefundPrefix = "after-sales:";

/** The reference of a resolved case's refund. */
export function afterSalesRefundReference(caseId: string): string {
  return `${caseRefundPrefix}${caseId}`;
}

/** The case a refund's reference names, or undefined for a refund of anything else (a cancellation, a clerk's, a dispute's). */
export function caseIdOfRefundReference(reference: string): string | undefined {
  return reference.startsWith(caseRefundPrefix) ? reference.slice(caseRefundPrefix.length) || undefined : undefined;
}
