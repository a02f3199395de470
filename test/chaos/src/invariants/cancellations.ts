import { n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * A cancelled order leaves nothing behind in any service: every minor unit taken on it
 * went back (its prepayment and any payment recorded), none of its stock is still held by
 * a reservation, and none of its tasks is still open for a rider or a technician.
 */
export async function cancelledOrdersUnwound(context: CheckContext): Promise<InvariantResult> {
  const name = "every cancelled order was unwound";
  for (const [schema, table] of [["billing", "refunds"], ["warehouse", "reservations"], ["dispatch", "tasks"]] as const) {
    if (!(await tableExists(context.db, schema, table))) return skipped(name, `${schema} has no ${table} table yet`);
  }
  const { rows } = await context.db.query<{ order_id: string; paid: string; refunded: string; held: string[] | null; open_tasks: string[] | null }>(`
    SELECT o.order_id,
           (CASE WHEN (o.body->>'prepaid')::boolean THEN i.grand_total_minor ELSE 0 END
             + coalesce((SELECT sum(p.amount_minor) FROM billing.payments p WHERE p.order_id = o.order_id), 0))::text AS paid,
           coalesce((SELECT sum(r.amount_minor) FROM billing.refunds r WHERE r.order_id = o.order_id), 0)::text AS refunded,
           (SELECT array_agg(w.reservation_id || ' ' || w.status) FROM warehouse.reservations w
             WHERE w.order_id = o.order_id AND w.status <> 'released') AS held,
           (SELECT array_agg(t.task_id || ' ' || t.status) FROM dispatch.tasks t
             WHERE t.order_id = o.order_id AND t.status NOT IN ('done', 'cancelled')
               -- An after-sales visit (ADR 025) is its case's, not the order's: the order's end does not close it.
               AND t.task_id NOT LIKE 'after-sales-visit:%') AS open_tasks
    FROM fulfillment.orders o JOIN intake.orders i USING (order_id)
    WHERE o.status = 'cancelled'`);
  const failures: string[] = [];
  let refunded = 0;
  let prepaid = 0;
  for (const r of rows) {
    const [paid, back] = [Number(r.paid), Number(r.refunded)];
    refunded += back;
    if (paid > 0) prepaid++;
    if (back !== paid) failures.push(`cancelled order ${r.order_id}: ${back} refunded of ${paid} paid`);
    if (r.held?.length) failures.push(`cancelled order ${r.order_id} still holds stock: ${r.held.join(", ")}`);
    if (r.open_tasks?.length) failures.push(`cancelled order ${r.order_id} still has open tasks: ${r.open_tasks.join(", ")}`);
  }
  return result(
    name,
    failures,
    `${n(rows.length)} cancelled orders (${n(prepaid)} paid before): ${n(refunded)} refunded (minor units), every one's stock released and tasks closed; ${n(failures.length)} left behind`,
  );
}
