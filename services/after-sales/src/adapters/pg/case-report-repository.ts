import type pg from "pg";
import { reworkRoundsCompletedSql, reworkRoundsOpenedSql } from "./stored-visit.ts";

export interface KeyCount {
  key: string;
  count: number;
}

/** A store's case figures over a period, as the database counts them. */
export interface CaseFigures {
  opened: number;
  declined: number;
  resolved: number;
  byKind: KeyCount[];
  byCause: KeyCount[];
  bySku: KeyCount[];
  /**
   * Every complaint opened, declined ones included. The three buckets below count only the
   * complaints not declined (by a person or by the policy): CaseReport has no field for the
   * declined ones, which are complaints − in time − late − unanswered.
   */
  complaints: number;
  complaintsAnsweredInTime: number;
  complaintsAnsweredLate: number;
  /** Not declined and not answered: still owed an answer. */
  complaintsUnanswered: number;
  /** Over the answered complaints; 0 when none was. */
  meanResponseHours: number;
  /** Exchanges whose replacement was ever late to ship (migration 019), and those escalated to the store manager. */
  replacementsLate: number;
  replacementsEscalated: number;
  /** Rework rounds the customers' rejections of visit reports opened, and those that ended in a new report (ADR 025, twenty-sixth-session addendum). */
  visitReworkRoundsOpened: number;
  visitReworkRoundsCompleted: number;
}

interface FiguresRow {
  opened: number;
  declined: number;
  resolved: number;
  by_kind: KeyCount[];
  by_cause: KeyCount[];
  by_sku: KeyCount[];
  complaints: number;
  answered_in_time: number;
  answered_late: number;
  unanswered: number;
  mean_response_hours: number | null;
  replacements_late: number;
  replacements_escalated: number;
  rework_rounds_opened: number;
  rework_rounds_completed: number;
}

/** How many of the goods most asked about the report names. */
export const hotSpotCount = 10;

/**
 * Counts a store's cases opened in [from, until) in one statement, on the store-and-time
 * index: the period's cases are read once and every figure is taken from them. A complaint
 * not declined was taken in within the policy, so it has a respond-by time: answered in
 * time, late, or not yet; a declined one (answered before it was declined or not) is in
 * none of the three, so they and the declined complaints add up to `complaints`. A visit's
 * rework rounds are counted from its document: one opened per rejected round, one completed
 * per round after the first that was reported.
 */
export async function caseFiguresOf(db: pg.Pool | pg.ClientBase, storeId: string, from: Date, until: Date): Promise<CaseFigures> {
  const { rows } = await db.query<FiguresRow>(
    `WITH period AS (
       SELECT case_id, kind, status, cause, lines, opened_at, respond_by, answered_at, escalated_at, replacement_late_level_reached, visit FROM cases
       WHERE store_id = $1 AND opened_at >= $2 AND opened_at < $3
     )
     SELECT
       (SELECT count(*)::int FROM period) AS opened,
       (SELECT count(*)::int FROM period WHERE status = 'declined') AS declined,
       (SELECT count(*)::int FROM period WHERE status = 'resolved') AS resolved,
       (SELECT coalesce(json_agg(json_build_object('key', kind, 'count', n) ORDER BY n DESC, kind), '[]')
          FROM (SELECT kind, count(*)::int AS n FROM period GROUP BY kind) k) AS by_kind,
       (SELECT coalesce(json_agg(json_build_object('key', cause, 'count', n) ORDER BY n DESC, cause), '[]')
          FROM (SELECT cause, count(*)::int AS n FROM period WHERE status = 'resolved' GROUP BY cause) c) AS by_cause,
       (SELECT coalesce(json_agg(json_build_object('key', sku, 'count', n) ORDER BY n DESC, sku), '[]')
          FROM (SELECT l.sku, count(DISTINCT p.case_id)::int AS n FROM period p, jsonb_to_recordset(p.lines) AS l(sku text, quantity int)
                GROUP BY l.sku ORDER BY n DESC, l.sku LIMIT $4) s) AS by_sku,
       (SELECT count(*)::int FROM period WHERE kind = 'complaint') AS complaints,
       (SELECT count(*)::int FROM period WHERE kind = 'complaint' AND status <> 'declined' AND answered_at <= respond_by AND escalated_at IS NULL) AS answered_in_time,
       (SELECT count(*)::int FROM period WHERE kind = 'complaint' AND status <> 'declined' AND (answered_at > respond_by OR (answered_at IS NOT NULL AND escalated_at IS NOT NULL)))
         AS answered_late,
       (SELECT count(*)::int FROM period WHERE kind = 'complaint' AND status <> 'declined' AND answered_at IS NULL) AS unanswered,
       (SELECT (avg(extract(epoch FROM answered_at - opened_at)) / 3600)::float8 FROM period WHERE kind = 'complaint' AND status <> 'declined' AND answered_at IS NOT NULL)
         AS mean_response_hours,
       (SELECT count(*)::int FROM period WHERE replacement_late_level_reached IS NOT NULL) AS replacements_late,
       (SELECT count(*)::int FROM period WHERE replacement_late_level_reached = 2) AS replacements_escalated,
       (SELECT coalesce(sum(${reworkRoundsOpenedSql}), 0)::int FROM period WHERE visit IS NOT NULL) AS rework_rounds_opened,
       (SELECT coalesce(sum(${reworkRoundsCompletedSql}), 0)::int FROM period WHERE visit IS NOT NULL) AS rework_rounds_completed`,
    [storeId, from, until, hotSpotCount],
  );
  const row = rows[0]!;
  return {
    opened: row.opened,
    declined: row.declined,
    resolved: row.resolved,
    byKind: row.by_kind,
    byCause: row.by_cause,
    bySku: row.by_sku,
    complaints: row.complaints,
    complaintsAnsweredInTime: row.answered_in_time,
    complaintsAnsweredLate: row.answered_late,
    complaintsUnanswered: row.unanswered,
    meanResponseHours: row.mean_response_hours ?? 0,
    replacementsLate: row.replacements_late,
    replacementsEscalated: row.replacements_escalated,
    visitReworkRoundsOpened: row.rework_rounds_opened,
    visitReworkRoundsCompleted: row.rework_rounds_completed,
  };
}
