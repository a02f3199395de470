import { n, tableExists, type CheckContext } from "./context.ts";

interface Flagged {
  order_id: string;
  case_id: string | null;
  level: number;
  flags: number;
  fired: number;
  announced_due: Date | null;
  timer_due: Date | null;
  due_at: Date | null;
  met_at: Date | null;
  called_off_at: Date | null;
}

/**
 * An exchange's replacement's ship-by deadline (warehouse, ADR 030's fifth addendum) took effect
 * only on its timers, once per level, and only for a replacement still on the shelf: one flagged
 * late at a level, as the order's timeline shows it (`replacement.ship-overdue`, "case <id>: level
 * <n>, due <t>, …"), had that level's timer fire; it was flagged at that level once; it was neither
 * shipped nor called off before that timer came due (a second's margin, as for shipment steps);
 * and the deadline it announced is the one recorded. And one reserved and left on the shelf had its
 * deadline started at the store that ships it (never started, it would never warn anyone).
 */
export async function replacementShipByByTheirTimers(context: CheckContext): Promise<{ figure: string; failures: string[] }> {
  if (!(await tableExists(context.db, "warehouse", "replacement_ship_deadlines"))) {
    return { figure: "replacement ship-by deadlines not checked", failures: ["warehouse has no replacement_ship_deadlines table to check"] };
  }
  const { rows } = await context.db.query<Flagged>(`
    WITH flags AS (
      SELECT order_id,
             substring(detail FROM '^case ([^:]+):') AS case_id,
             substring(detail FROM ': level (\\d+),')::int AS level,
             min(substring(detail FROM ', due ([^,]+),'))::timestamptz AS announced_due,
             count(*)::int AS flags
      FROM fulfillment.timeline WHERE what = 'replacement.ship-overdue'
      GROUP BY 1, 2, 3
    ), timers AS (
      SELECT payload->>'caseId' AS case_id, (payload->>'level')::int AS level,
             count(*) FILTER (WHERE fired_at IS NOT NULL)::int AS fired, max(due_at) AS timer_due
      FROM warehouse.timers WHERE kind = 'warehouse.replacement-ship-deadline' GROUP BY 1, 2
    )
    SELECT f.order_id, f.case_id, f.level, f.flags, coalesce(t.fired, 0) AS fired, f.announced_due, t.timer_due, d.due_at, d.met_at, d.called_off_at
    FROM flags f
    LEFT JOIN timers t USING (case_id, level)
    LEFT JOIN warehouse.replacement_ship_deadlines d USING (case_id)
    ORDER BY f.order_id, f.case_id, f.level`);
  const failures: string[] = [];
  const margin = 1_000;
  for (const r of rows) {
    const name = `order ${r.order_id}: the replacement of case ${r.case_id ?? "?"}`;
    if (r.flags > 1) failures.push(`${name} was flagged late at level ${r.level} ${r.flags} times`);
    if (r.fired < 1 || !r.timer_due) {
      failures.push(`${name} was flagged late at level ${r.level} without its timer having fired`);
      continue;
    }
    if (!r.due_at) failures.push(`${name} was flagged late at level ${r.level} with no deadline on record`);
    else if (r.announced_due?.getTime() !== r.due_at.getTime()) failures.push(`${name} was announced due ${r.announced_due?.toISOString()}, recorded due ${r.due_at.toISOString()}`);
    const dueBy = r.timer_due.getTime() - margin;
    if (r.met_at && r.met_at.getTime() < dueBy) failures.push(`${name} was flagged late at level ${r.level} though shipped at ${r.met_at.toISOString()}, before its timer was due at ${r.timer_due.toISOString()}`);
    if (r.called_off_at && r.called_off_at.getTime() < dueBy) {
      failures.push(`${name} was flagged late at level ${r.level} though called off at ${r.called_off_at.toISOString()}, before its timer was due at ${r.timer_due.toISOString()}`);
    }
  }
  // Started whenever one is reserved and left on the shelf, at the store that ships it: one reserved
  // and shipped in the clerk's one step (reserved when shipped) never had one; still waiting, none yet.
  let timed = 0;
  if (await tableExists(context.db, "warehouse", "replacements")) {
    const { rows: unwatched } = await context.db.query<{ case_id: string; order_id: string; store_id: string; node_store_id: string | null }>(`
      SELECT r.case_id, r.order_id, r.store_id, d.store_id AS node_store_id
      FROM warehouse.replacements r LEFT JOIN warehouse.replacement_ship_deadlines d USING (case_id)
      WHERE r.reserved_at IS NOT NULL AND (r.shipped_at IS NULL OR r.shipped_at <> r.reserved_at)
      ORDER BY r.order_id, r.case_id`);
    for (const r of unwatched) {
      if (r.node_store_id === r.store_id) timed++;
      else failures.push(`order ${r.order_id}: the replacement of case ${r.case_id} was reserved at ${r.store_id} with no ship-by deadline there${r.node_store_id ? ` (its deadline is at ${r.node_store_id})` : ""}`);
    }
  }
  const flagged = (level: number) => rows.filter((r) => r.level === level).length;
  return { figure: `${n(timed)} replacements reserved, each with its ship-by deadline; ${n(flagged(1))} flagged late to ship and ${n(flagged(2))} escalated, each once on its timer and none shipped in time`, failures };
}
