import { EventTypes, Topics } from "@oms/contracts";
import { eventsOf, n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

interface ComplaintRow {
  order_id: string;
  grand_total: string;
  case_id: string | null;
  status: string | null;
  refund: string | null;
  respond_by: Date | null;
  answered_at: Date | null;
  escalated_at: Date | null;
  refunded: string;
  /** What after-sales kept on the case as refunded, and whether it holds billing's shortfall. */
  case_refunded: string | null;
  shortfall_at: Date | null;
  fired: number;
}

/**
 * Every complaint the simulated customers made about a closed order was handled once,
 * whatever the faults did to the answers (ADR 017): opened once under its id, answered,
 * resolved with the refund asked and refunded by billing exactly once under the case's id;
 * escalated only by its timer, never when it was answered in time (a second's margin: an
 * answer's time is taken as its transaction starts), and announced overdue once; no closed
 * order got a complaint nobody made. The case keeps what billing refunded for it, and a case
 * refunded less than it named has billing's shortfall announced once and recorded
 * (ADR 017, addendum); one refunded in full has none.
 */
export async function complaintsHandledOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every complaint answered, escalated only when late, refunded once";
  if (!(await tableExists(context.db, "after_sales", "cases"))) return skipped(name, "after-sales keeps no cases yet");
  const { rows } = await context.db.query<ComplaintRow>(`
    SELECT o.order_id, i.grand_total_minor::text AS grand_total, c.case_id, c.status, c.refund_minor::text AS refund,
           c.respond_by, c.answered_at, c.escalated_at, c.refunded_minor::text AS case_refunded, c.refund_shortfall_at AS shortfall_at,
           coalesce((SELECT sum(r.amount_minor) FROM billing.refunds r WHERE r.order_id = o.order_id AND r.reference = 'after-sales:' || c.case_id), 0)::text AS refunded,
           (SELECT count(*) FROM after_sales.timers t WHERE t.kind = 'aftersales.complaint-response' AND t.timer_key = c.case_id AND t.fired_at IS NOT NULL)::int AS fired
    FROM fulfillment.orders o JOIN intake.orders i USING (order_id)
    LEFT JOIN after_sales.cases c ON c.order_id = o.order_id AND c.kind = 'complaint'
    WHERE o.status = 'closed'`);
  const overdueAnnouncements = announcementsByCase(context, Topics.afterSalesCase, EventTypes.CaseOverdue);
  const shortfallAnnouncements = announcementsByCase(context, Topics.billingSettlement, EventTypes.CaseRefundShortfall);
  const failures: string[] = [];
  let complaints = 0;
  let escalated = 0;
  let refunded = 0;
  for (const r of rows) {
    const asked = context.complaintRefundFor({ orderId: r.order_id, grandTotalMinor: Number(r.grand_total) });
    if (asked === 0) {
      if (r.case_id) failures.push(`order ${r.order_id}: complaint ${r.case_id} nobody made`);
      continue;
    }
    complaints++;
    if (!r.case_id) {
      failures.push(`order ${r.order_id}: its complaint was never opened`);
      continue;
    }
    refunded += Number(r.refunded);
    if (r.status !== "resolved" || Number(r.refund) !== asked) failures.push(`case ${r.case_id}: ${r.status}, ${r.refund} to refund, ${asked} asked`);
    if (Number(r.refunded) !== asked) failures.push(`case ${r.case_id}: billing refunded ${r.refunded}, ${asked} asked`);
    failures.push(...refundRecordProblems(r, shortfallAnnouncements.get(r.case_id) ?? 0));
    if (!r.answered_at) failures.push(`case ${r.case_id}: resolved without an answer`);
    const announced = overdueAnnouncements.get(r.case_id) ?? 0;
    if (r.escalated_at) escalated++;
    if (announced !== (r.escalated_at ? 1 : 0)) failures.push(`case ${r.case_id}: announced overdue ${announced} times, ${r.escalated_at ? "escalated" : "never escalated"}`);
    if (r.escalated_at && r.fired === 0) failures.push(`case ${r.case_id}: escalated without its timer having fired`);
    const answeredInTime = r.answered_at && r.respond_by && r.answered_at.getTime() < r.respond_by.getTime() - 1_000;
    if (r.escalated_at && answeredInTime) failures.push(`case ${r.case_id}: escalated though answered at ${r.answered_at!.toISOString()}, before ${r.respond_by!.toISOString()}`);
  }
  return result(
    name,
    failures,
    `${n(complaints)} complaints about ${n(rows.length)} closed orders, each answered and resolved: ${n(escalated)} escalated on their timer, ${n(refunded)} refunded (minor units); ${n(failures.length)} problems`,
  );
}

/**
 * What the case kept of its refund against what billing did: the refunded total as billing
 * recorded it, and a shortfall (announced once, recorded) exactly when billing refunded less
 * than the case named. More than named is no shortfall: the check above catches it.
 */
function refundRecordProblems(r: ComplaintRow, shortfallsAnnounced: number): string[] {
  const problems: string[] = [];
  if (Number(r.case_refunded) !== Number(r.refunded)) problems.push(`case ${r.case_id}: after-sales shows ${r.case_refunded} refunded, billing refunded ${r.refunded}`);
  const short = Number(r.refunded) < Number(r.refund);
  if (shortfallsAnnounced !== (short ? 1 : 0)) problems.push(`case ${r.case_id}: refund shortfall announced ${shortfallsAnnounced} times, ${r.refunded} refunded of ${r.refund} named`);
  if (short !== !!r.shortfall_at) problems.push(`case ${r.case_id}: ${r.refunded} refunded of ${r.refund} named, ${r.shortfall_at ? "a shortfall recorded" : "no shortfall recorded"}`);
  return problems;
}

/** Announcements of one type about cases, by case (a copy republished after a crash counts once). */
function announcementsByCase(context: CheckContext, topic: string, type: typeof EventTypes.CaseOverdue | typeof EventTypes.CaseRefundShortfall): Map<string, number> {
  const seen = new Set<string>();
  const byCase = new Map<string, number>();
  for (const event of eventsOf(context, topic, type)) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    byCase.set(event.payload.caseId, (byCase.get(event.payload.caseId) ?? 0) + 1);
  }
  return byCase;
}
