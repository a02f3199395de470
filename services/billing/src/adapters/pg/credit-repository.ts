import type pg from "pg";
import type { CreditAssessment, CreditRating } from "../../domain/credit.ts";

export type CreditOrderDecision = "awaiting" | "approved" | "refused";

/** An on-credit order as billing weighs it: what is still owed on it (nothing once cancelled). */
export interface OpenCreditOrder {
  orderId: string;
  storeId: string;
  currency: string;
  outstandingMinor: number;
  decision: CreditOrderDecision;
  /** Work on it has begun: billing approved its credit, or it went on to a settlement (a clerk approved it by hand). */
  inExecution: boolean;
  collectionStartedAt: Date | undefined;
}

export interface RecordedAssessment extends CreditAssessment {
  assessedBy: string;
  assessedAt: Date;
}

interface AssessmentRow {
  customer_id: string;
  rating: CreditRating;
  limit_minor: number;
  currency: string;
  terms_days: number;
  reason: string;
  assessed_by: string;
  assessed_at: Date;
}

const fromAssessmentRow = (r: AssessmentRow): RecordedAssessment => ({
  customerId: r.customer_id,
  rating: r.rating,
  limitMinor: r.limit_minor,
  currency: r.currency,
  termsDays: r.terms_days,
  reason: r.reason,
  assessedBy: r.assessed_by,
  assessedAt: r.assessed_at,
});

/** Customers' credit assessments and on-credit orders, in billing's schema. Writes take the caller's transaction. */
export const creditRepository = {
  /**
   * Holds the customers' credit until the transaction ends, customers in id order: two
   * orders of one customer decided at once would each fit the limit the other then exceeds.
   */
  async lockCustomers(tx: pg.ClientBase, customerIds: readonly string[]): Promise<void> {
    if (customerIds.length === 0) return;
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('billing.credit'), hashtext(customer_id)) FROM unnest($1::text[]) AS customer_id ORDER BY customer_id", [
      [...new Set(customerIds)],
    ]);
  },

  /** Records on-credit orders as they are created (a replay changes nothing). */
  async recordOrders(tx: pg.ClientBase, orders: readonly { orderId: string; customerId: string; storeId: string; totalMinor: number; currency: string }[]): Promise<void> {
    if (orders.length === 0) return;
    await tx.query(
      `INSERT INTO credit_orders (order_id, customer_id, store_id, total_minor, currency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
       ON CONFLICT (order_id) DO NOTHING`,
      [orders.map((o) => o.orderId), orders.map((o) => o.customerId), orders.map((o) => o.storeId), orders.map((o) => o.totalMinor), orders.map((o) => o.currency)],
    );
  },

  /** The customers of these on-credit orders, by order (orders bought otherwise are absent). */
  async customersOf(db: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await db.query<{ order_id: string; customer_id: string }>("SELECT order_id, customer_id FROM credit_orders WHERE order_id = ANY($1::text[])", [
      [...new Set(orderIds)],
    ]);
    return new Map(rows.map((r) => [r.order_id, r.customer_id]));
  },

  async currentAssessment(db: pg.Pool | pg.ClientBase, customerId: string): Promise<RecordedAssessment | undefined> {
    const { rows } = await db.query<AssessmentRow>(
      "SELECT customer_id, rating, limit_minor, currency, terms_days, reason, assessed_by, assessed_at FROM credit_assessments WHERE customer_id = $1 ORDER BY assessment_id DESC LIMIT 1",
      [customerId],
    );
    return rows[0] && fromAssessmentRow(rows[0]);
  },

  async history(db: pg.Pool | pg.ClientBase, customerId: string): Promise<RecordedAssessment[]> {
    const { rows } = await db.query<AssessmentRow>(
      "SELECT customer_id, rating, limit_minor, currency, terms_days, reason, assessed_by, assessed_at FROM credit_assessments WHERE customer_id = $1 ORDER BY assessment_id DESC",
      [customerId],
    );
    return rows.map(fromAssessmentRow);
  },

  async insertAssessment(tx: pg.ClientBase, a: CreditAssessment, assessedBy: string): Promise<void> {
    await tx.query(
      "INSERT INTO credit_assessments (customer_id, rating, limit_minor, currency, terms_days, reason, assessed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [a.customerId, a.rating, a.limitMinor, a.currency, a.termsDays, a.reason, assessedBy],
    );
  },

  /**
   * The customer's on-credit orders still owing something: not cancelled, not refused, not
   * paid in full — what is due on the settlement less what was paid, or the order's total
   * before a settlement exists. An order billing refused that went on to a settlement all the
   * same (a clerk approved it first, and fulfillment kept the clerk's decision) is owed.
   */
  async openOrders(db: pg.Pool | pg.ClientBase, customerId: string): Promise<OpenCreditOrder[]> {
    const { rows } = await db.query<{
      order_id: string;
      store_id: string;
      currency: string;
      outstanding: string;
      decision: CreditOrderDecision;
      in_execution: boolean;
      collection_started_at: Date | null;
    }>(
      `SELECT c.order_id, c.store_id, c.currency, c.decision, c.collection_started_at,
              (c.decision = 'approved' OR s.order_id IS NOT NULL) AS in_execution,
              (CASE WHEN s.order_id IS NULL THEN c.total_minor ELSE s.amount_due_minor - s.amount_paid_minor END)::text AS outstanding
       FROM credit_orders c LEFT JOIN settlements s USING (order_id)
       WHERE c.customer_id = $1 AND (c.decision <> 'refused' OR s.order_id IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM order_cancellations x WHERE x.order_id = c.order_id)
         AND (s.order_id IS NULL OR s.amount_paid_minor < s.amount_due_minor)
       ORDER BY c.recorded_at, c.order_id`,
      [customerId],
    );
    return rows.map((r) => ({
      orderId: r.order_id,
      storeId: r.store_id,
      currency: r.currency,
      outstandingMinor: Number(r.outstanding),
      // A clerk's approval is not heard by billing; the order's going on to a settlement says it.
      decision: r.in_execution ? "approved" : r.decision,
      inExecution: r.in_execution,
      collectionStartedAt: r.collection_started_at ?? undefined,
    }));
  },

  async decide(tx: pg.ClientBase, orderId: string, decision: "approved" | "refused"): Promise<void> {
    await tx.query("UPDATE credit_orders SET decision = $2 WHERE order_id = $1", [orderId, decision]);
  },

  async startCollection(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await tx.query("UPDATE credit_orders SET collection_started_at = now() WHERE order_id = ANY($1::text[]) AND collection_started_at IS NULL", [[...orderIds]]);
  },
};
