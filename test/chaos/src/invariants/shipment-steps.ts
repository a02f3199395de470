import { n, tableExists, type CheckContext } from "./context.ts";

interface Flagged {
  order_id: string;
  reservation_id: string;
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
 * A shipment's step deadlines (warehouse) took effect only on their timers, once per level,
 * and only for a step that was late: a step flagged overdue at a level, as the order's
 * timeline shows it, had that level's timer fire; it was flagged at that level once; and it
 * was neither done nor released before that timer came due (a second's margin: the warehouse
 * dates a step by its clock, the poller a timer by the database's). The deadline it
 * announced is the one recorded.
 */
export async function shipmentStepsByTheirTimers(context: CheckContext): Promise<{ figure: string; failures: string[] }> {
  if (!(await tableExists(context.db, "warehouse", "shipment_step_deadlines"))) {
    return { figure: "shipment steps not checked", failures: ["warehouse has no shipment_step_deadlines table to check"] };
  }
  const { rows } = await context.db.query<Flagged>(`
    WITH flags AS (
      SELECT order_id,
             substring(what FROM '^shipment\\.(pick|pack|ship)-overdue$') AS step,
             substring(detail FROM '^level (\\d+)')::int AS level,
             substring(detail FROM ', shipment ([^,]+),') AS reservation_id,
             min(substring(detail FROM ', due ([^,]+),'))::timestamptz AS announced_due,
             count(*)::int AS flags
      FROM fulfillment.timeline WHERE what IN ('shipment.pick-overdue', 'shipment.pack-overdue', 'shipment.ship-overdue')
      GROUP BY 1, 2, 3, 4
    ), timers AS (
      SELECT payload->>'reservationId' AS reservation_id, payload->>'step' AS step, (payload->>'level')::int AS level,
             count(*) FILTER (WHERE fired_at IS NOT NULL)::int AS fired, max(due_at) AS timer_due
      FROM warehouse.timers WHERE kind = 'warehouse.shipment-step-deadline' GROUP BY 1, 2, 3
    )
    SELECT f.order_id, f.reservation_id, f.step, f.level, f.flags, coalesce(t.fired, 0) AS fired, f.announced_due, t.timer_due,
           d.due_at, d.met_at, d.called_off_at
    FROM flags f
    LEFT JOIN timers t USING (reservation_id, step, level)
    LEFT JOIN warehouse.shipment_step_deadlines d USING (reservation_id, step)
    ORDER BY f.order_id, f.reservation_id, f.step, f.level`);
  const failures: string[] = [];
  const margin = 1_000;
  for (const r of rows) {
    const name = `order ${r.order_id}: the ${r.step} of shipment ${r.reservation_id}`;
    if (r.flags > 1) failures.push(`${name} was flagged overdue at level ${r.level} ${r.flags} times`);
    if (r.fired < 1 || !r.timer_due) {
      failures.push(`${name} was flagged overdue at level ${r.level} without its timer having fired`);
      continue;
    }
    if (!r.due_at) failures.push(`${name} was flagged overdue at level ${r.level} with no deadline on record`);
    else if (r.announced_due?.getTime() !== r.due_at.getTime()) failures.push(`${name} was announced due ${r.announced_due?.toISOString()}, recorded due ${r.due_at.toISOString()}`);
    const dueBy = r.timer_due.getTime() - margin;
    if (r.met_at && r.met_at.getTime() < dueBy) {
      failures.push(`${name} was flagged overdue at level ${r.level} though done at ${r.met_at.toISOString()}, before its timer was due at ${r.timer_due.toISOString()}`);
    }
    if (r.called_off_at && r.called_off_at.getTime() < dueBy) {
      failures.push(`${name} was flagged overdue at level ${r.level} though released at ${r.called_off_at.toISOString()}, before its timer was due at ${r.timer_due.toISOString()}`);
    }
  }
  const flagged = (level: number, step?: string) => rows.filter((r) => r.level === level && (!step || r.step === step)).length;
  return {
    figure:
      `${n(flagged(1))} late shipment steps flagged and ${n(flagged(2))} escalated ` +
      `(pick ${n(flagged(1, "pick"))}, pack ${n(flagged(1, "pack"))}, ship ${n(flagged(1, "ship"))}), each once on its timer and none done in time`,
    failures,
  };
}
