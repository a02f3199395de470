import { n, result, serviceSchemas, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";
import { shipmentStepsByTheirTimers } from "./shipment-steps.ts";
import { replacementShipByByTheirTimers } from "./replacement-deadlines.ts";

/**
 * For every closed order, the money recorded equals the money due: billing's amount due
 * is the grand total intake accepted, it is paid in full, and what was paid is the
 * prepayment plus the payments recorded — each payment counted once.
 */
export async function moneyBalancesForClosedOrders(context: CheckContext): Promise<InvariantResult> {
  if (!(await tableExists(context.db, "billing", "payments"))) return skipped("money recorded equals money due", "billing has no payments table yet");
  const { rows } = await context.db.query<{
    order_id: string;
    grand_total: number;
    prepaid: boolean;
    due: number | null;
    paid: number | null;
    status: string | null;
    payments: number;
    payment_count: number;
  }>(`
    SELECT o.order_id, i.grand_total_minor AS grand_total, (o.body->>'prepaid')::boolean AS prepaid,
           s.amount_due_minor AS due, s.amount_paid_minor AS paid, s.status,
           coalesce((SELECT sum(p.amount_minor) FROM billing.payments p WHERE p.order_id = o.order_id), 0)::bigint AS payments,
           (SELECT count(*) FROM billing.payments p WHERE p.order_id = o.order_id)::int AS payment_count
    FROM fulfillment.orders o
    JOIN intake.orders i USING (order_id)
    LEFT JOIN billing.settlements s USING (order_id)
    WHERE o.status = 'closed'`);
  const failures: string[] = [];
  let due = 0;
  let paid = 0;
  for (const r of rows) {
    due += r.due ?? 0;
    paid += r.paid ?? 0;
    const prepayment = r.prepaid ? r.grand_total : 0;
    if (r.due === null) failures.push(`closed order ${r.order_id} has no settlement`);
    else if (r.due !== r.grand_total) failures.push(`order ${r.order_id}: billing says ${r.due} due, intake accepted ${r.grand_total}`);
    else if (r.paid !== r.due || r.status !== "paid") failures.push(`order ${r.order_id}: ${r.paid} paid of ${r.due} due (${r.status})`);
    else if (r.payments + prepayment !== r.paid) failures.push(`order ${r.order_id}: payments ${r.payments} + prepaid ${prepayment} ≠ paid ${r.paid} (${r.payment_count} payments)`);
  }
  return result("money recorded equals money due for closed orders", failures, `${n(rows.length)} closed orders: ${n(due)} due, ${n(paid)} paid (minor units); ${n(failures.length)} differences`);
}

/**
 * No refund exceeds its payment: for every order, what billing refunded is at most what
 * was paid on it — the prepayment intake accepted (prepaid orders) plus the payments
 * billing recorded — and each refund's source (the prepayment or one payment) got back
 * no more than it brought in.
 */
export async function noRefundExceedsItsPayment(context: CheckContext): Promise<InvariantResult> {
  if (!(await tableExists(context.db, "billing", "refunds"))) return skipped("no refund exceeds its payment", "billing has no refunds table yet");
  const { rows } = await context.db.query<{ order_id: string; source: string; refunded: number; refunds: number; paid: number | null }>(`
    WITH refunded AS (
      SELECT order_id, source, sum(amount_minor)::bigint AS refunded, count(*)::int AS refunds FROM billing.refunds GROUP BY order_id, source
    ), paid AS (
      SELECT p.order_id, p.payment_id AS source, p.amount_minor::bigint AS paid
      FROM billing.payments p WHERE p.order_id IN (SELECT order_id FROM refunded)
      UNION ALL
      SELECT o.order_id, 'prepayment', i.grand_total_minor::bigint
      FROM fulfillment.orders o JOIN intake.orders i USING (order_id)
      WHERE (o.body->>'prepaid')::boolean AND o.order_id IN (SELECT order_id FROM refunded)
    )
    SELECT r.order_id, r.source, r.refunded, r.refunds, s.paid FROM refunded r LEFT JOIN paid s USING (order_id, source)`);
  const refundedOnOrder = new Map<string, number>();
  const failures: string[] = [];
  let refunds = 0;
  for (const r of rows) {
    refunds += r.refunds;
    refundedOnOrder.set(r.order_id, (refundedOnOrder.get(r.order_id) ?? 0) + r.refunded);
    if (r.paid === null) failures.push(`order ${r.order_id}: ${r.refunded} refunded from ${r.source}, which paid nothing`);
    else if (r.refunded > r.paid) failures.push(`order ${r.order_id}: ${r.refunded} refunded from ${r.source}, which paid ${r.paid}`);
  }
  // Per order, against everything paid on it (not only the sources refunded so far).
  const totals = await context.db.query<{ order_id: string; paid: number }>(
    `SELECT order_id, sum(paid)::bigint AS paid FROM (
       SELECT order_id, amount_minor AS paid FROM billing.payments WHERE order_id IN (SELECT order_id FROM billing.refunds)
       UNION ALL
       SELECT o.order_id, i.grand_total_minor FROM fulfillment.orders o JOIN intake.orders i USING (order_id)
       WHERE (o.body->>'prepaid')::boolean AND o.order_id IN (SELECT order_id FROM billing.refunds)
     ) money GROUP BY order_id`,
  );
  const paidOnOrder = new Map(totals.rows.map((t) => [t.order_id, t.paid]));
  let refunded = 0;
  for (const [orderId, amount] of refundedOnOrder) {
    refunded += amount;
    const paid = paidOnOrder.get(orderId) ?? 0;
    if (amount > paid) failures.push(`order ${orderId}: ${amount} refunded of ${paid} paid`);
  }
  return result(
    "no refund exceeds its payment",
    failures,
    `${n(refunds)} refunds on ${n(refundedOnOrder.size)} orders: ${n(refunded)} refunded (minor units); ${n(failures.length)} excesses`,
  );
}

/**
 * Every durable timer that came due fired exactly once, or was cancelled before: none
 * failed, none overdue, none both fired and cancelled; each acceptance-period timer
 * that fired accepted its order exactly once (the effect is on the timeline once);
 * each acknowledgement missed was recorded by its deadline's timer, once, and handed on;
 * and a service visit's or a shipment's step, or an exchange's replacement, was flagged late
 * only on its timers, once a level, and never when it was done in time (shipment-steps.ts,
 * replacement-deadlines.ts).
 */
export async function everyTimerFiredOnce(context: CheckContext): Promise<InvariantResult> {
  const failures: string[] = [];
  let fired = 0;
  let cancelled = 0;
  let pending = 0;
  for (const schema of serviceSchemas) {
    // Every service's runtime migrates a timers table: one missing is a schema the check cannot read, not a pass.
    if (!(await tableExists(context.db, schema, "timers"))) {
      failures.push(`${schema} has no timers table to check`);
      continue;
    }
    const { rows } = await context.db.query<{ id: number; kind: string; order_id: string; due_at: Date; fired_at: Date | null; cancelled_at: Date | null; failed_at: Date | null; last_error: string | null }>(
      `SELECT id, kind, order_id, due_at, fired_at, cancelled_at, failed_at, last_error FROM ${schema}.timers`,
    );
    for (const t of rows) {
      const name = `${schema} timer ${t.kind} #${t.id} (order ${t.order_id})`;
      if (t.fired_at) fired++;
      else if (t.cancelled_at) cancelled++;
      else pending++;
      if (t.failed_at) failures.push(`${name} failed: ${t.last_error ?? "?"}`);
      if (t.fired_at && t.cancelled_at) failures.push(`${name} both fired and cancelled`);
      // A poller wakes at least every few seconds; 30 s late is a timer that was lost.
      if (!t.fired_at && !t.cancelled_at && !t.failed_at && t.due_at.getTime() < Date.now() - 30_000) failures.push(`${name} was due ${t.due_at.toISOString()} and never fired`);
    }
  }
  const byRule = await context.db.query<{ order_id: string; times: number }>(
    `SELECT order_id, count(*)::int AS times FROM fulfillment.timeline
     WHERE what = 'order.accepted' AND actor LIKE 'system%' GROUP BY order_id`,
  );
  const acceptanceTimers = await context.db.query<{ order_id: string; fired: number }>(
    `SELECT order_id, count(*) FILTER (WHERE fired_at IS NOT NULL)::int AS fired FROM fulfillment.timers
     WHERE kind = 'acceptance-period' GROUP BY order_id`,
  );
  const firedFor = new Map(acceptanceTimers.rows.map((r) => [r.order_id, r.fired]));
  for (const r of byRule.rows) {
    if (r.times !== 1) failures.push(`order ${r.order_id} accepted by rule ${r.times} times`);
    // A refused delivery's period may fire before its cancellation lands and accept nothing
    // (it names its delivery round), so an order may have fired more than one; none is the fault.
    if ((firedFor.get(r.order_id) ?? 0) < 1) failures.push(`order ${r.order_id} accepted by rule without its timer having fired`);
  }
  const misses = await acknowledgementsMissed(context);
  const rules = await storeRulesByTheirTimers(context);
  const visits = await visitStepsByTheirTimers(context);
  const shipments = await shipmentStepsByTheirTimers(context);
  const replacements = await replacementShipByByTheirTimers(context);
  failures.push(...misses.failures, ...rules.failures, ...visits.failures, ...shipments.failures, ...replacements.failures);
  return result(
    "every timer fired exactly once",
    failures,
    `${n(fired)} fired, ${n(cancelled)} cancelled, ${n(pending)} not due yet; ${n(byRule.rows.length)} deliveries accepted by rule; ` +
      `${n(misses.missed)} acknowledgements missed, each on its deadline and handed on; ${rules.figure}; ${visits.figure}; ${shipments.figure}; ${replacements.figure}; ${n(failures.length)} problems`,
  );
}

/**
 * A service visit's step deadlines took effect only on their timers: no arrival or report
 * was flagged overdue at a level more often, for its order, than that level's timer fired
 * (a timer fires once; one that finds the step done flags nothing), and none done before
 * its deadline was flagged for it (a second's margin: a step's time is taken as its
 * transaction starts, and a timer may read the row just before that transaction commits).
 */
async function visitStepsByTheirTimers(context: CheckContext): Promise<{ figure: string; failures: string[] }> {
  const { rows } = await context.db.query<{ order_id: string; step: string; level: number; flags: number; fired: number }>(`
    WITH flags AS (
      SELECT order_id, substring(what FROM '^step\\.(arrival|report)-overdue$') AS step, substring(detail FROM '^level (\\d+)')::int AS level, count(*)::int AS flags
      FROM fulfillment.timeline WHERE what IN ('step.arrival-overdue', 'step.report-overdue') GROUP BY 1, 2, 3
    ), fired AS (
      SELECT order_id, payload->>'step' AS step, (payload->>'level')::int AS level, count(*)::int AS fired
      FROM dispatch.timers WHERE kind = 'dispatch.step-deadline' AND fired_at IS NOT NULL GROUP BY 1, 2, 3
    )
    SELECT f.order_id, f.step, f.level, f.flags, coalesce(d.fired, 0) AS fired FROM flags f LEFT JOIN fired d USING (order_id, step, level)`);
  const failures = rows
    .filter((r) => r.flags > r.fired)
    .map((r) => `order ${r.order_id}: its ${r.step} flagged overdue at level ${r.level} ${r.flags} times, its timer fired ${r.fired}`);
  const inTime = await context.db.query<{ order_id: string; step: string; met_at: Date; due_at: Date }>(`
    SELECT DISTINCT t.order_id, d.step, d.met_at, d.due_at
    FROM dispatch.step_deadlines d JOIN dispatch.tasks t USING (task_id)
    JOIN fulfillment.timeline l ON l.order_id = t.order_id AND l.what = 'step.' || d.step || '-overdue'
      AND substring(l.detail FROM 'due ([^,]+)')::timestamptz = d.due_at
    WHERE d.met_at < d.due_at - interval '1 second'`);
  failures.push(
    ...inTime.rows.map((r) => `order ${r.order_id}: its ${r.step} was flagged overdue though done at ${r.met_at.toISOString()}, before it was due at ${r.due_at.toISOString()}`),
  );
  const flagged = (step: string, level: number) => rows.filter((r) => r.step === step && r.level === level).reduce((sum, r) => sum + r.flags, 0);
  return {
    figure:
      `${n(flagged("arrival", 1))} late arrivals flagged and ${n(flagged("arrival", 2))} escalated, ` +
      `${n(flagged("report", 1))} late reports flagged and ${n(flagged("report", 2))} escalated, each on its timer and none done in time`,
    failures,
  };
}

/**
 * The store's rules took effect once each, and only when their timers fired: a follow-up
 * or an escalation on an order's timeline had its confirmation timer fire; an order the
 * system cancelled had the timer of a rule fire (the confirmation's last stage, or the end
 * of a pick-up's hold); an order cancelled while waiting for its customer's confirmation
 * was followed up and escalated first, once each.
 */
async function storeRulesByTheirTimers(context: CheckContext): Promise<{ figure: string; failures: string[] }> {
  const { rows } = await context.db.query<{
    order_id: string;
    awaited: boolean;
    confirmed: boolean;
    follow_ups: number;
    escalations: number;
    late_deliveries: number;
    cancelled_by_rule: number;
    fired: string[];
  }>(`
    WITH steps AS (
      SELECT order_id,
             bool_or(what = 'order.awaiting-confirmation') AS awaited,
             bool_or(what = 'order.confirmed') AS confirmed,
             count(*) FILTER (WHERE what = 'order.follow-up-requested')::int AS follow_ups,
             -- A goods order not delivered by its requested time is escalated on a deadline of its own.
             count(*) FILTER (WHERE what = 'order.escalated' AND detail NOT LIKE 'not delivered by %')::int AS escalations,
             count(*) FILTER (WHERE what = 'order.escalated' AND detail LIKE 'not delivered by %')::int AS late_deliveries,
             -- Credit refused is billing's decision by the customer's assessment, on no timer: credit.ts judges those.
             count(*) FILTER (WHERE what = 'order.cancelled' AND actor LIKE 'system%' AND detail NOT LIKE 'credit refused: %')::int AS cancelled_by_rule
      FROM fulfillment.timeline
      WHERE what IN ('order.awaiting-confirmation', 'order.confirmed', 'order.follow-up-requested', 'order.escalated', 'order.cancelled')
      GROUP BY order_id
    )
    SELECT s.*, coalesce((SELECT array_agg(kind) FROM fulfillment.timers t WHERE t.order_id = s.order_id AND t.fired_at IS NOT NULL), '{}') AS fired
    FROM steps s
    WHERE s.follow_ups + s.escalations + s.late_deliveries + s.cancelled_by_rule > 0`);
  const failures: string[] = [];
  let confirmationsCancelled = 0;
  let pickupsCancelled = 0;
  for (const r of rows) {
    const fired = new Set(r.fired);
    if (r.follow_ups > 0 && !fired.has("confirmation-follow-up")) failures.push(`order ${r.order_id} was followed up without its confirmation timer having fired`);
    if (r.escalations > 0 && !fired.has("confirmation-escalation")) failures.push(`order ${r.order_id} was escalated without its confirmation timer having fired`);
    if (r.late_deliveries > 0 && !fired.has("delivery-deadline")) failures.push(`order ${r.order_id} was escalated as late without its delivery deadline having fired`);
    if (r.cancelled_by_rule === 0) continue;
    if (r.awaited && !r.confirmed) {
      confirmationsCancelled++;
      if (!fired.has("confirmation-cancellation")) failures.push(`order ${r.order_id} was cancelled unconfirmed without its confirmation deadline having fired`);
      if (r.follow_ups !== 1 || r.escalations !== 1) failures.push(`order ${r.order_id} was cancelled unconfirmed after ${r.follow_ups} follow-ups and ${r.escalations} escalations, not one each`);
    } else {
      pickupsCancelled++;
      if (!fired.has("pickup-period")) failures.push(`order ${r.order_id} was cancelled by the system without a rule's timer having fired (${[...fired].join(", ") || "none fired"})`);
    }
  }
  return {
    figure: `${n(confirmationsCancelled)} orders never confirmed, followed up, escalated and cancelled by rule; ${n(pickupsCancelled)} pick-ups never collected, cancelled by rule`,
    failures,
  };
}

/**
 * The acknowledgement deadline's effect, exactly once: an assignment is "missed" only
 * when its deadline's timer fired, and not before the deadline; the task was handed on to
 * someone else (or ended); and the order's timeline shows each miss once. A task paused for
 * force majeure has its deadline called off and started again when its order resumes, under
 * `<assignmentId>~fm<n>` (dispatch's order-hold.ts), with the assignment's deadline moved:
 * the miss must then be the last round's timer's doing, never one a pause called off.
 */
async function acknowledgementsMissed(context: CheckContext): Promise<{ missed: number; failures: string[] }> {
  const { rows } = await context.db.query<{
    assignment_id: string;
    task_id: string;
    staff_id: string;
    outcome_at: Date | null;
    acknowledge_by: Date;
    fired_at: Date | null;
    earlier_fired: boolean;
    handed_on: boolean;
    task_status: string;
  }>(`
    WITH deadlines AS (
      SELECT split_part(timer_key, '~fm', 1) AS assignment_id, fired_at,
             coalesce(nullif(split_part(timer_key, '~fm', 2), ''), '0')::int AS round
      FROM dispatch.timers WHERE kind = 'dispatch.acknowledge-deadline'
    )
    SELECT a.assignment_id, a.task_id, a.staff_id, a.outcome_at, a.acknowledge_by, k.status AS task_status,
           -- The deadline that counted is the last round's; an earlier one was called off by a pause (or fired into one, doing nothing).
           (SELECT d.fired_at FROM deadlines d WHERE d.assignment_id = a.assignment_id ORDER BY d.round DESC LIMIT 1) AS fired_at,
           EXISTS (SELECT 1 FROM deadlines d WHERE d.assignment_id = a.assignment_id AND d.fired_at IS NOT NULL) AS earlier_fired,
           EXISTS (SELECT 1 FROM dispatch.assignments n WHERE n.task_id = a.task_id AND n.assigned_at > a.assigned_at AND n.staff_id <> a.staff_id) AS handed_on
    FROM dispatch.assignments a
    JOIN dispatch.tasks k USING (task_id)
    WHERE a.outcome = 'missed'`);
  const failures: string[] = [];
  for (const r of rows) {
    const name = `assignment ${r.assignment_id} of task ${r.task_id} to ${r.staff_id}`;
    if (!r.fired_at && r.earlier_fired) failures.push(`${name} was missed on a deadline a pause had called off (its restarted deadline never fired)`);
    else if (!r.fired_at) failures.push(`${name} was missed without its acknowledgement deadline having fired`);
    if (!r.outcome_at || r.outcome_at.getTime() < r.acknowledge_by.getTime()) failures.push(`${name} was missed at ${r.outcome_at?.toISOString() ?? "no time"}, before its deadline ${r.acknowledge_by.toISOString()}`);
    if (!r.handed_on && r.task_status !== "cancelled" && r.task_status !== "done") failures.push(`${name} was missed and the task (${r.task_status}) never went to anyone else`);
  }
  // The order's timeline: one "acknowledgement missed" per missed assignment of its tasks.
  const onTimeline = await context.db.query<{ order_id: string; missed: number; shown: number }>(`
    WITH missed AS (
      SELECT k.order_id, count(*)::int AS missed FROM dispatch.assignments a JOIN dispatch.tasks k USING (task_id) WHERE a.outcome = 'missed' GROUP BY k.order_id
    ), shown AS (
      SELECT order_id, count(*)::int AS shown FROM fulfillment.timeline WHERE what = 'task.acknowledgement-missed' GROUP BY order_id
    )
    SELECT order_id, coalesce(m.missed, 0) AS missed, coalesce(s.shown, 0) AS shown FROM missed m FULL JOIN shown s USING (order_id)
    WHERE coalesce(m.missed, 0) <> coalesce(s.shown, 0)`);
  for (const r of onTimeline.rows) failures.push(`order ${r.order_id}: ${r.missed} acknowledgements missed, ${r.shown} on its timeline`);
  return { missed: rows.length, failures };
}

/**
 * Every goodwill refund finance asked for on a closed order was issued exactly once, for
 * the amount asked, whatever the faults did to the clerk's answers (a retry carries the
 * same reference); no closed order got one it was not to get.
 */
export async function goodwillRefundedOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every goodwill refund issued exactly once";
  if (!(await tableExists(context.db, "billing", "refunds"))) return skipped(name, "billing has no refunds table yet");
  const { rows } = await context.db.query<{ order_id: string; grand_total: string; refunded: string | null; refunds: number }>(`
    SELECT o.order_id, i.grand_total_minor::text AS grand_total, sum(r.amount_minor)::text AS refunded, count(DISTINCT r.refund_id)::int AS refunds
    FROM fulfillment.orders o JOIN intake.orders i USING (order_id)
    LEFT JOIN billing.refunds r ON r.order_id = o.order_id AND r.trigger = 'finance' AND r.reference = 'finance:GOODWILL-' || o.order_id
    WHERE o.status = 'closed'
    GROUP BY o.order_id, i.grand_total_minor`);
  const failures: string[] = [];
  let asked = 0;
  let refunded = 0;
  for (const r of rows) {
    const expected = context.goodwillAskedFor({ orderId: r.order_id, grandTotalMinor: Number(r.grand_total) });
    const got = Number(r.refunded ?? 0);
    if (expected > 0) asked++;
    refunded += got;
    if (got !== expected) failures.push(`order ${r.order_id}: ${got} refunded as goodwill, ${expected} asked (${r.refunds} refund rows)`);
  }
  return result(name, failures, `${n(asked)} of ${n(rows.length)} closed orders got goodwill: ${n(refunded)} refunded (minor units); ${n(failures.length)} missing, short or twice`);
}
