import { n, tableExists, type CheckContext } from "./context.ts";

interface Flagged {
  order_id: string;
  case_id: string | null;
  step: string;
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
 * An exchange's replacement's step deadlines (warehouse, ADR 030's fifth and seventh addenda: one a
 * step, pick, pack and ship; a ship-by one for replacements from before the steps) took effect
 * only on their timers, once per step and level, and only for a replacement still owing the step:
 * one flagged late at a level, as the order's timeline shows it (`replacement.<step>-overdue`,
 * "case <id>: level <n>, due <t>, …"), had that step's level's timer fire; it was flagged at that level once; it was neither
 * shipped nor called off before that timer came due (a second's margin, as for shipment steps);
 * and the deadline it announced is the step's recorded one. And one reserved and left on the shelf had
 * a deadline started at the store that ships it (never started, it would never warn anyone).
 */
export async function replacementShipByByTheirTimers(context: CheckContext): Promise<{ figure: string; failures: string[] }> {
  if (!(await tableExists(context.db, "warehouse", "replacement_ship_deadlines"))) {
    return { figure: "replacement ship-by deadlines not checked", failures: ["warehouse has no replacement_ship_deadlines table to check"] };
  }
  const { rows } = await context.db.query<Flagged>(`
    WITH flags AS (
      SELECT order_id,
             substring(detail FROM '^case ([^:]+):') AS case_id,
             substring(what FROM '^replacement\\.(pick|pack|ship)-overdue$') AS step,
             substring(detail FROM ': level (\\d+),')::int AS level,
             min(substring(detail FROM ', due ([^,]+),'))::timestamptz AS announced_due,
             count(*)::int AS flags
      FROM fulfillment.timeline WHERE what IN ('replacement.pick-overdue', 'replacement.pack-overdue', 'replacement.ship-overdue')
      GROUP BY 1, 2, 3, 4
    ), timers AS (
      SELECT payload->>'caseId' AS case_id, coalesce(payload->>'step', 'ship') AS step, (payload->>'level')::int AS level,
             count(*) FILTER (WHERE fired_at IS NOT NULL)::int AS fired, max(due_at) AS timer_due
      FROM warehouse.timers WHERE kind = 'warehouse.replacement-ship-deadline' GROUP BY 1, 2, 3
    )
    SELECT f.order_id, f.case_id, f.step, f.level, f.flags, coalesce(t.fired, 0) AS fired, f.announced_due, t.timer_due, d.due_at, d.met_at, d.called_off_at
    FROM flags f
    LEFT JOIN timers t USING (case_id, step, level)
    LEFT JOIN warehouse.replacement_ship_deadlines d USING (case_id, step)
    ORDER BY f.order_id, f.case_id, f.step, f.level`);
  const failures: string[] = [];
  const margin = 1_000;
  for (const r of rows) {
    const name = `order ${r.order_id}: the replacement of case ${r.case_id ?? "?"}${r.step === "ship" ? "" : ` (its ${r.step})`}`;
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
  // Started whenever one is reserved and left on the shelf, at the store that ships it (a node of any
  // step; one reserved by its pick has the pack's): one from before the steps reserved and shipped in
  // the clerk's one step (reserved when shipped) never had one; still waiting, none yet.
  let timed = 0;
  if (await tableExists(context.db, "warehouse", "replacements")) {
    const { rows: unwatched } = await context.db.query<{ case_id: string; order_id: string; store_id: string; node_store_id: string | null }>(`
      SELECT r.case_id, r.order_id, r.store_id,
             coalesce((SELECT d.store_id FROM warehouse.replacement_ship_deadlines d WHERE d.case_id = r.case_id ORDER BY d.store_id = r.store_id DESC LIMIT 1), NULL) AS node_store_id
      FROM warehouse.replacements r
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
