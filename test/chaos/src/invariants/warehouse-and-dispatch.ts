import { n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";
import { replacementMovements } from "./replacement-ledger.ts";
import { receivedGoods, reservationMovements, returnedGoods } from "./stock-ledger.ts";

/**
 * Stock is conserved, per store, SKU and location, against the append-only ledger:
 *   on hand  = received + returned + count corrections − shipped
 *   reserved = reserved − released − shipped
 * i.e. (on hand − reserved) + reserved + shipped = received + returned + counted corrections,
 * where returned is what came back from customers fit to sell (ADR 021); what came back
 * damaged or unsellable never reaches on hand and is accounted for in the write-off book.
 * That balance holds by construction (each change writes its movement in the same
 * statement), so the ledger is also judged against the causes of its movements: each
 * reservation moved once (reserved, then released or shipped) and each goods receipt
 * booked once, each return receipt's units restocked or written off once (stock-ledger.ts), each
 * exchange's replacement reserved, then released or shipped, once (replacement-ledger.ts). And an order's goods were reserved at most once (a split
 * order's parts, `<id>/part/<n>`, are one reservation of it).
 */
export async function stockConserved(context: CheckContext): Promise<InvariantResult> {
  const { rows } = await context.db.query<{
    store_id: string;
    sku: string;
    location: string;
    on_hand: number;
    reserved: number;
    received: number;
    returned: number;
    corrected: number;
    shipped: number;
    reserved_moves: number;
    released: number;
  }>(`
    SELECT s.store_id, s.sku, s.location, s.on_hand, s.reserved,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'received'), 0)::int         AS received,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'returned'), 0)::int         AS returned,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'count-correction'), 0)::int AS corrected,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'shipped'), 0)::int          AS shipped,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'reserved'), 0)::int         AS reserved_moves,
           coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'released'), 0)::int         AS released
    FROM warehouse.stock s
    LEFT JOIN warehouse.stock_movements m USING (store_id, sku, location)
    GROUP BY s.store_id, s.sku, s.location, s.on_hand, s.reserved`);
  const failures: string[] = [];
  let received = 0;
  let shipped = 0;
  let reservedNow = 0;
  for (const r of rows) {
    received += r.received;
    shipped += r.shipped;
    reservedNow += r.reserved;
    const where = `${r.store_id}/${r.sku}@${r.location}`;
    if (r.on_hand + r.shipped !== r.received + r.returned + r.corrected) {
      failures.push(`${where}: on hand ${r.on_hand} + shipped ${r.shipped} ≠ received ${r.received} + returned ${r.returned} + corrections ${r.corrected}`);
    }
    if (r.reserved !== r.reserved_moves - r.released - r.shipped) {
      failures.push(`${where}: reserved ${r.reserved} ≠ reservations ${r.reserved_moves} − released ${r.released} − shipped ${r.shipped}`);
    }
  }
  const twice = await context.db.query<{ order_id: string; reservations: number }>(
    `SELECT order_id, count(DISTINCT regexp_replace(reservation_id, '/part/[0-9]+$', ''))::int AS reservations
     FROM warehouse.reservations GROUP BY order_id HAVING count(DISTINCT regexp_replace(reservation_id, '/part/[0-9]+$', '')) > 1`,
  );
  for (const r of twice.rows) failures.push(`order ${r.order_id} holds ${r.reservations} reservations`);
  const split = await context.db.query<{ orders: number }>("SELECT count(DISTINCT order_id)::int AS orders FROM warehouse.reservations WHERE reservation_id LIKE '%/part/%'");
  const reservations = await reservationMovements(context.db);
  const receipts = await receivedGoods(context.db);
  const returns = await returnedGoods(context.db);
  const replacements = await replacementMovements(context.db);
  failures.push(...reservations.failures, ...receipts.failures, ...returns.failures, ...replacements.failures);
  return result(
    "stock conserved",
    failures,
    `${n(rows.length)} stock lines balance against the ledger: ${n(received)} units received, ${n(shipped)} shipped, ${n(reservedNow)} reserved now; ` +
      `${reservations.figure}; ${receipts.figure}; ${returns.figure}; ${replacements.figure}; ${n(split.rows[0]!.orders)} orders split over stores; ${n(twice.rows.length)} orders reserved twice; ${n(failures.length)} discrepancies`,
  );
}

/**
 * No task ever had two assignees at once: per task, each assignment ended before the
 * next began, and at most one is current. (The database also refuses two current ones.)
 */
export async function neverTwoAssignees(context: CheckContext): Promise<InvariantResult> {
  if (!(await tableExists(context.db, "dispatch", "assignments"))) return skipped("no task had two assignees", "dispatch has no assignments table");
  const { rows } = await context.db.query<{ task_id: string; staff_id: string; assigned_at: Date; outcome: string; outcome_at: Date | null }>(
    "SELECT task_id, staff_id, assigned_at, outcome, outcome_at FROM dispatch.assignments ORDER BY task_id, assigned_at, assignment_id",
  );
  const failures: string[] = [];
  const tasks = new Set<string>();
  let reassigned = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    tasks.add(row.task_id);
    const next = rows[i + 1];
    if (!next || next.task_id !== row.task_id) continue;
    reassigned++;
    if (row.outcome === "open" || row.outcome === "acknowledged") {
      failures.push(`task ${row.task_id}: ${row.staff_id} still holds it (${row.outcome}) while ${next.staff_id} was assigned`);
    } else if (!row.outcome_at || row.outcome_at.getTime() > next.assigned_at.getTime()) {
      failures.push(`task ${row.task_id}: ${row.staff_id}'s assignment ended ${row.outcome_at?.toISOString() ?? "never"}, after ${next.staff_id}'s began ${next.assigned_at.toISOString()}`);
    }
  }
  // A split order has a task per part (`<orderId>/task/part-<n>`); any other order one. An
  // after-sales visit (`after-sales-visit:<caseId>`, ADR 025) is its case's, beside the order's own.
  const perOrder = await context.db.query<{ order_id: string; tasks: number }>(
    `SELECT order_id, count(*)::int AS tasks FROM dispatch.tasks
     WHERE task_id NOT LIKE '%/task/part-%' AND task_id NOT LIKE 'after-sales-visit:%' GROUP BY order_id HAVING count(*) > 1`,
  );
  for (const r of perOrder.rows) failures.push(`order ${r.order_id} has ${r.tasks} tasks`);
  return result(
    "no task ever had two assignees",
    failures,
    `${n(tasks.size)} tasks, ${n(rows.length)} assignments (${n(reassigned)} handed on), ${n(failures.length)} overlaps or duplicate tasks`,
  );
}
