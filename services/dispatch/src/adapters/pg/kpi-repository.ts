import type pg from "pg";

export type KpiScope = "staff" | "team" | "store";

export interface KpiFigures {
  acknowledgements: number;
  acknowledgeSecondsAvg: number;
  acknowledgeSecondsP50: number;
  checkIns: number;
  onTimeCheckIns: number;
  reportsDecided: number;
  reportsReworked: number;
  firstReportsDecided: number;
  firstReportsAccepted: number;
  tasksHandled: number;
  tasksOpen: number;
}

/** Whose work counts: a person (by who did it), a team (its members) or a store (its tasks). */
function scopeCondition(scope: KpiScope, staffColumn: string, storeColumn: string): string {
  switch (scope) {
    case "staff":
      return `${staffColumn} = $1`;
    case "team":
      return `${staffColumn} IN (SELECT staff_id FROM staff WHERE team_id = $1)`;
    case "store":
      return `${storeColumn} = $1`;
    default: {
      const unknown: never = scope;
      throw new Error(`unknown scope ${String(unknown)}`);
    }
  }
}

/** The KPIs of dispatch's work, computed from its tables in one statement; $2/$3 bound the period [from, until). */
export async function kpiFigures(db: pg.Pool | pg.ClientBase, scope: KpiScope, id: string, from: Date, until: Date): Promise<KpiFigures> {
  const { rows } = await db.query<Record<string, number | string | null>>(
    `SELECT
       (SELECT count(*) FROM assignments a JOIN tasks t USING (task_id)
         WHERE a.acknowledged_at >= $2 AND a.acknowledged_at < $3 AND ${scopeCondition(scope, "a.staff_id", "t.store_id")}) AS acknowledgements,
       (SELECT avg(extract(epoch FROM a.acknowledged_at - a.assigned_at)) FROM assignments a JOIN tasks t USING (task_id)
         WHERE a.acknowledged_at >= $2 AND a.acknowledged_at < $3 AND ${scopeCondition(scope, "a.staff_id", "t.store_id")}) AS acknowledge_avg,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.assigned_at)) FROM assignments a JOIN tasks t USING (task_id)
         WHERE a.acknowledged_at >= $2 AND a.acknowledged_at < $3 AND ${scopeCondition(scope, "a.staff_id", "t.store_id")}) AS acknowledge_p50,
       (SELECT count(*) FROM service_visits v JOIN tasks t USING (task_id)
         WHERE v.checked_in_at >= $2 AND v.checked_in_at < $3 AND ${scopeCondition(scope, "v.checked_in_by", "t.store_id")}) AS check_ins,
       (SELECT count(*) FROM service_visits v JOIN tasks t USING (task_id)
         WHERE v.checked_in_at >= $2 AND v.checked_in_at < $3 AND v.late_minutes = 0 AND ${scopeCondition(scope, "v.checked_in_by", "t.store_id")}) AS on_time,
       (SELECT count(*) FROM service_reports r JOIN tasks t USING (task_id)
         WHERE r.outcome <> 'awaiting-acceptance' AND r.outcome_at >= $2 AND r.outcome_at < $3 AND ${scopeCondition(scope, "r.staff_id", "t.store_id")}) AS decided,
       (SELECT count(*) FROM service_reports r JOIN tasks t USING (task_id)
         WHERE r.outcome = 'rework' AND r.outcome_at >= $2 AND r.outcome_at < $3 AND ${scopeCondition(scope, "r.staff_id", "t.store_id")}) AS reworked,
       (SELECT count(*) FROM service_reports r JOIN tasks t USING (task_id)
         WHERE r.round = 0 AND r.outcome <> 'awaiting-acceptance' AND r.outcome_at >= $2 AND r.outcome_at < $3 AND ${scopeCondition(scope, "r.staff_id", "t.store_id")}) AS first_decided,
       (SELECT count(*) FROM service_reports r JOIN tasks t USING (task_id)
         WHERE r.round = 0 AND r.outcome = 'accepted' AND r.outcome_at >= $2 AND r.outcome_at < $3 AND ${scopeCondition(scope, "r.staff_id", "t.store_id")}) AS first_accepted,
       (SELECT count(*) FROM tasks t
         WHERE t.status = 'done' AND t.closed_at >= $2 AND t.closed_at < $3 AND ${scopeCondition(scope, "t.assignee_staff_id", "t.store_id")}) AS handled,
       (SELECT count(*) FROM tasks t
         WHERE t.status IN ('assigned', 'acknowledged', 'in-progress', 'reported') AND ${scopeCondition(scope, "t.assignee_staff_id", "t.store_id")}) AS open`,
    [id, from, until],
  );
  const r = rows[0]!;
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  return {
    acknowledgements: n(r.acknowledgements),
    acknowledgeSecondsAvg: n(r.acknowledge_avg),
    acknowledgeSecondsP50: n(r.acknowledge_p50),
    checkIns: n(r.check_ins),
    onTimeCheckIns: n(r.on_time),
    reportsDecided: n(r.decided),
    reportsReworked: n(r.reworked),
    firstReportsDecided: n(r.first_decided),
    firstReportsAccepted: n(r.first_accepted),
    tasksHandled: n(r.handled),
    tasksOpen: n(r.open),
  };
}
