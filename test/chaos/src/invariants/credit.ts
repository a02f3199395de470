import { EventTypes, Topics, type PayloadOf } from "@oms/contracts";
import { eventsOf, n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * Customers' credit (ADR 019): every on-credit order of an assessed customer that
 * fulfillment held for credit was decided by billing exactly once — a republished copy of
 * the decision counts once, a second decision under another event id is a failure — and
 * by the customer's assessment: refused for poor credit; for good credit approved exactly
 * when what the customer owed before plus the order's total fits the limit. Fulfillment
 * went on with an approved order and cancelled a refused one ("credit refused: …"), and
 * billing's own record of the order says the same decision. Nobody else's order (a
 * customer never assessed, an order not bought on credit) was decided by billing.
 * Judged by each customer's current assessment: the harness assesses each once, before
 * the load.
 */
export async function onCreditOrdersDecidedOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every on-credit order decided once, by its customer's credit";
  for (const table of ["credit_assessments", "credit_orders"]) {
    if (!(await tableExists(context.db, "billing", table))) return skipped(name, `billing has no ${table} table yet`);
  }
  const assessments = await currentAssessments(context);
  const orders = await onCreditOrders(context);
  const decisions = creditDecisions(context);
  const held = heldForCredit(context);
  const failures: string[] = [];
  const outcomes = new Map<Outcome, number>();
  const customers = new Set<string>();
  for (const order of orders) {
    const judged = judge(order, assessments.get(order.customerId), held.has(order.orderId), [...(decisions.get(order.orderId) ?? [])]);
    failures.push(...judged.failures.map((f) => `order ${order.orderId} of ${order.customerId || "a guest"}: ${f}`));
    outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
    if (judged.outcome !== "unassessed") customers.add(order.customerId);
    decisions.delete(order.orderId);
  }
  for (const [orderId, ids] of decisions) failures.push(`order ${orderId}: ${ids.size} credit decisions, but it was not bought on credit`);
  const count = (outcome: Outcome) => n(outcomes.get(outcome) ?? 0);
  const assessedOrders = orders.length - (outcomes.get("unassessed") ?? 0);
  return result(
    name,
    failures,
    `${n(assessedOrders)} on-credit orders of ${n(customers.size)} customers: ${count("approved")} approved, ${count("refused")} refused, each once; ` +
      `${count("not held")} never held for credit (cancelled unconfirmed); ${count("unassessed")} more by customers never assessed, for a clerk to decide; ${n(failures.length)} problems`,
  );
}

type Outcome = "approved" | "refused" | "not held" | "undecided" | "unassessed";
type CreditDecided = PayloadOf<typeof EventTypes.CreditDecided>;

interface Assessment {
  rating: string;
  limitMinor: number;
  currency: string;
}

interface OnCreditOrder {
  orderId: string;
  customerId: string;
  status: string;
  totalMinor: number;
  currency: string;
  /** Billing's record of the order: the total it weighs and its decision; absent when billing never recorded it. */
  billing: { totalMinor: number; decision: string } | undefined;
  /** Fulfillment's timeline: credit granted (the order went on), or cancelled because it was refused. */
  creditChecked: boolean;
  cancelledForCredit: boolean;
}

/** A decision as billing published it: its event id (copies share it) and what it said. */
type Decision = [eventId: string, payload: CreditDecided];

/** What is wrong with one on-credit order's credit, and what it came to. */
function judge(order: OnCreditOrder, assessment: Assessment | undefined, held: boolean, decisions: readonly Decision[]): { outcome: Outcome; failures: string[] } {
  const failures: string[] = [];
  // Billing records every on-credit order of a named customer as it is created, with its total (a guest's it never weighs).
  if (order.customerId && !order.billing) failures.push("billing never recorded the on-credit order");
  if (order.billing && order.billing.totalMinor !== order.totalMinor) failures.push(`billing weighs ${order.billing.totalMinor}, the order's total is ${order.totalMinor}`);
  // A customer never assessed is left to a finance clerk: billing has nothing to decide by.
  if (!assessment) {
    if (decisions.length > 0) failures.push(`decided by billing (${decisions.length} times), but the customer was never assessed`);
    return { outcome: "unassessed", failures };
  }
  if (!order.billing) return { outcome: "undecided", failures };
  // Good credit decides only in the limit's currency (ADR 019); poor credit whatever the currency.
  const decidable = assessment.rating === "poor" || assessment.currency === order.currency;
  if (!held || !decidable) {
    if (decisions.length > 0) failures.push(`decided by billing, but ${held ? `its currency ${order.currency} is not the limit's` : "it was never held for credit"}`);
    if (order.billing.decision !== "awaiting") failures.push(`billing records it ${order.billing.decision}, with nothing to decide`);
    if (order.cancelledForCredit) failures.push("cancelled for credit billing never refused");
    return { outcome: held ? "undecided" : "not held", failures };
  }
  if (decisions.length === 0) return { outcome: "undecided", failures: [...failures, "held for credit and never decided"] };
  if (decisions.length > 1) failures.push(`decided ${decisions.length} times (${decisions.map(([id]) => id).join(", ")})`);
  const [, decision] = decisions[0]!;
  const outcome = decision.approved ? "approved" : "refused";
  if (decision.customerId !== order.customerId) failures.push(`decided for customer ${decision.customerId}`);
  failures.push(...againstAssessment(order, assessment, decision));
  if (order.billing.decision !== outcome) failures.push(`${outcome} on billing's topic, ${order.billing.decision} in billing's credit_orders`);
  if (outcome === "refused" && (order.status !== "cancelled" || !order.cancelledForCredit)) failures.push(`refused, but fulfillment has it ${order.status}, not cancelled for credit`);
  if (outcome === "approved" && (!order.creditChecked || order.cancelledForCredit)) failures.push(`approved, but fulfillment ${order.cancelledForCredit ? "cancelled it for credit" : "never granted it credit"}`);
  return { outcome, failures };
}

/** Refused for poor credit; for good credit, approved exactly when what was owed before plus this order fits the assessed limit. */
function againstAssessment(order: OnCreditOrder, assessment: Assessment, decision: CreditDecided): string[] {
  if (assessment.rating === "poor") return decision.approved ? ["approved, though the customer's credit is poor"] : [];
  const limit = Number(decision.limit?.minor ?? 0);
  const exposure = Number(decision.exposure?.minor ?? 0);
  const owed = `${exposure} owed and this order's ${order.totalMinor} against a limit of ${limit}`;
  if (limit !== assessment.limitMinor) return [`decided against a limit of ${limit}, the customer's is ${assessment.limitMinor}`];
  if (decision.approved && exposure + order.totalMinor > limit) return [`approved past the limit: ${owed}`];
  if (!decision.approved && exposure + order.totalMinor <= limit) return [`refused within the limit: ${owed}`];
  return [];
}

async function currentAssessments(context: CheckContext): Promise<Map<string, Assessment>> {
  const { rows } = await context.db.query<{ customer_id: string; rating: string; limit_minor: string; currency: string }>(
    `SELECT DISTINCT ON (customer_id) customer_id, rating, limit_minor::text, currency
     FROM billing.credit_assessments ORDER BY customer_id, assessment_id DESC`,
  );
  return new Map(rows.map((r) => [r.customer_id, { rating: r.rating, limitMinor: Number(r.limit_minor), currency: r.currency }]));
}

/** Fulfillment's orders bought on credit, with billing's record of each and what fulfillment's timeline says of their credit. */
async function onCreditOrders(context: CheckContext): Promise<OnCreditOrder[]> {
  const { rows } = await context.db.query<{
    order_id: string;
    customer_id: string;
    status: string;
    total: string;
    currency: string;
    billing_total: string | null;
    billing_decision: string | null;
    credit_checked: boolean;
    cancelled_for_credit: boolean;
  }>(`
    SELECT o.order_id, trim(coalesce(o.body->>'customerId', '')) AS customer_id, o.status,
           coalesce(o.body->'totals'->>'grandTotalMinor', '0') AS total, coalesce(o.body->'totals'->>'currency', '') AS currency,
           c.total_minor::text AS billing_total, c.decision AS billing_decision,
           EXISTS (SELECT 1 FROM fulfillment.timeline t WHERE t.order_id = o.order_id AND t.what = 'order.credit-checked') AS credit_checked,
           EXISTS (SELECT 1 FROM fulfillment.timeline t WHERE t.order_id = o.order_id AND t.what = 'order.cancelled' AND t.detail LIKE 'credit refused: %') AS cancelled_for_credit
    FROM fulfillment.orders o LEFT JOIN billing.credit_orders c USING (order_id)
    WHERE o.body->>'paymentMethod' = 'on-credit' AND coalesce((o.body->>'prepaid')::boolean, false) = false
    ORDER BY o.order_id`);
  return rows.map((r) => ({
    orderId: r.order_id,
    customerId: r.customer_id,
    status: r.status,
    totalMinor: Number(r.total),
    currency: r.currency,
    billing: r.billing_decision === null ? undefined : { totalMinor: Number(r.billing_total), decision: r.billing_decision },
    creditChecked: r.credit_checked,
    cancelledForCredit: r.cancelled_for_credit,
  }));
}

/** Billing's credit decisions by order, each once by its event id: a republished copy is the same decision. */
function creditDecisions(context: CheckContext): Map<string, Map<string, CreditDecided>> {
  const byOrder = new Map<string, Map<string, CreditDecided>>();
  for (const event of eventsOf(context, Topics.billingSettlement, EventTypes.CreditDecided)) {
    let ids = byOrder.get(event.orderId);
    if (!ids) byOrder.set(event.orderId, (ids = new Map()));
    ids.set(event.eventId, event.payload);
  }
  return byOrder;
}

/** The orders fulfillment put on hold for credit (what billing decides on). */
function heldForCredit(context: CheckContext): Set<string> {
  const held = new Set<string>();
  for (const event of eventsOf(context, Topics.fulfillmentOrder, EventTypes.OrderStatusChanged)) {
    if (event.payload.toStatus === "on-hold" && event.payload.holdReason === "awaiting-credit") held.add(event.orderId);
  }
  return held;
}
