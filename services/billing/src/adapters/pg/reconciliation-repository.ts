import type pg from "pg";
import type { ReconciliationPosition } from "../../app/queries/reconciliation-pages.ts";
import type { Correction, DifferenceFigures, DifferenceKind, FoundDifference, KnownDifference } from "../../domain/reconciliation.ts";

export interface ReconciliationRow {
  reconciliationId: string;
  storeId: string;
  periodFrom: Date;
  periodUntil: Date;
  requestId: string;
  startedBy: string;
  ordersCompared: number;
  differencesFound: number;
  resolvedByData: number;
  completedAt: Date;
  /** Differences it found that are neither explained nor since resolved by the data. */
  openDifferences: number;
}

export interface FindingRow {
  differenceId: string;
  orderId: string;
  kind: DifferenceKind;
  detail: string;
  figures: DifferenceFigures;
  firstFoundAt: Date;
  resolvedByDataAt: Date | undefined;
  explanations: ExplanationRow[];
}

export interface ExplanationRow {
  explanationId: string;
  correction: Correction;
  note: string;
  explainedBy: string;
  explainedAt: Date;
}

/** A difference under its store and period, as an explanation needs it. */
export interface DifferenceRow {
  differenceId: string;
  storeId: string;
  periodFrom: Date;
  periodUntil: Date;
  orderId: string;
  kind: DifferenceKind;
}

export interface Period {
  storeId: string;
  from: Date;
  until: Date;
}

const runColumns = `r.reconciliation_id, r.store_id, r.period_from, r.period_until, r.request_id, r.started_by, r.orders_compared,
  r.differences_found, r.resolved_by_data, r.completed_at,
  (SELECT count(*) FROM reconciliation_findings f JOIN reconciliation_differences d USING (difference_id)
   WHERE f.reconciliation_id = r.reconciliation_id AND d.resolved_by_data_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM difference_explanations e WHERE e.difference_id = d.difference_id))::int AS open_differences`;

interface RunDbRow {
  reconciliation_id: string;
  store_id: string;
  period_from: Date;
  period_until: Date;
  request_id: string;
  started_by: string;
  orders_compared: number;
  differences_found: number;
  resolved_by_data: number;
  completed_at: Date;
  open_differences: number;
}

const runOf = (r: RunDbRow): ReconciliationRow => ({
  reconciliationId: r.reconciliation_id,
  storeId: r.store_id,
  periodFrom: r.period_from,
  periodUntil: r.period_until,
  requestId: r.request_id,
  startedBy: r.started_by,
  ordersCompared: r.orders_compared,
  differencesFound: r.differences_found,
  resolvedByData: r.resolved_by_data,
  completedAt: r.completed_at,
  openDifferences: r.open_differences,
});

export const reconciliationRepository = {
  /**
   * Runs of one store and period one at a time, until the transaction ends: two runs at once
   * would each take a difference for new, or each resolve it. Its own statement, before the reads it guards.
   */
  async lockPeriod(tx: pg.ClientBase, period: Period): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('billing.reconciliation'), hashtext($1 || '|' || $2 || '|' || $3))", [
      period.storeId,
      period.from.toISOString(),
      period.until.toISOString(),
    ]);
  },

  async runByRequest(db: pg.Pool | pg.ClientBase, storeId: string, requestId: string): Promise<ReconciliationRow | undefined> {
    const { rows } = await db.query<RunDbRow>(`SELECT ${runColumns} FROM reconciliations r WHERE r.store_id = $1 AND r.request_id = $2`, [storeId, requestId]);
    return rows[0] && runOf(rows[0]);
  },

  async run(db: pg.Pool | pg.ClientBase, reconciliationId: string): Promise<ReconciliationRow | undefined> {
    const { rows } = await db.query<RunDbRow>(`SELECT ${runColumns} FROM reconciliations r WHERE r.reconciliation_id = $1`, [reconciliationId]);
    return rows[0] && runOf(rows[0]);
  },

  /**
   * A store's runs whose periods start in [from, until), newest period first, the latest run of a
   * period first, the id breaking a tie: `limit` of them after `after` (a page's last run), with
   * each run's position as the page token keeps it (times in microseconds, exact, as a Date is not).
   */
  async runsOf(
    db: pg.Pool,
    storeId: string,
    from: Date,
    until: Date,
    limit: number,
    after?: ReconciliationPosition,
  ): Promise<Array<ReconciliationRow & { position: ReconciliationPosition }>> {
    const micros = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
    const time = (n: number) => `timestamptz 'epoch' + $${n}::bigint * interval '1 microsecond'`;
    const { rows } = await db.query<RunDbRow & { period_from_micros: string; completed_at_micros: string }>(
      `SELECT ${runColumns}, ${micros("r.period_from")} AS period_from_micros, ${micros("r.completed_at")} AS completed_at_micros
       FROM reconciliations r WHERE r.store_id = $1 AND r.period_from >= $2 AND r.period_from < $3
         AND ($5::bigint IS NULL OR (r.period_from, r.completed_at, r.reconciliation_id COLLATE "C") < (${time(5)}, ${time(6)}, $7::text COLLATE "C"))
       ORDER BY r.period_from DESC, r.completed_at DESC, r.reconciliation_id COLLATE "C" DESC LIMIT $4`,
      [storeId, from, until, limit, after?.periodFromMicros ?? null, after?.completedAtMicros ?? null, after?.reconciliationId ?? null],
    );
    return rows.map((r) => ({
      ...runOf(r),
      position: { periodFromMicros: r.period_from_micros, completedAtMicros: r.completed_at_micros, reconciliationId: r.reconciliation_id },
    }));
  },

  /** The period's differences recorded by earlier runs, with whether each is explained. */
  async knownDifferences(db: pg.Pool | pg.ClientBase, period: Period): Promise<KnownDifference[]> {
    const { rows } = await db.query<{ difference_id: string; order_id: string; kind: DifferenceKind; explained: boolean; resolved: boolean }>(
      `SELECT d.difference_id, d.order_id, d.kind, d.resolved_by_data_at IS NOT NULL AS resolved,
              EXISTS (SELECT 1 FROM difference_explanations e WHERE e.difference_id = d.difference_id) AS explained
       FROM reconciliation_differences d WHERE d.store_id = $1 AND d.period_from = $2 AND d.period_until = $3`,
      [period.storeId, period.from, period.until],
    );
    return rows.map((r) => ({ differenceId: r.difference_id, orderId: r.order_id, kind: r.kind, explained: r.explained, resolvedByData: r.resolved }));
  },

  /** The run; false when the store already has a run under this request id (a twin committed first). */
  async insertRun(tx: pg.ClientBase, run: Omit<ReconciliationRow, "completedAt" | "openDifferences" | "periodFrom" | "periodUntil"> & { period: Period }): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO reconciliations (reconciliation_id, store_id, period_from, period_until, request_id, started_by, orders_compared, differences_found, resolved_by_data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (store_id, request_id) DO NOTHING`,
      [run.reconciliationId, run.storeId, run.period.from, run.period.until, run.requestId, run.startedBy, run.ordersCompared, run.differencesFound, run.resolvedByData],
    );
    return result.rowCount === 1;
  },

  /** New differences, each under its id; one that came back loses its resolution. */
  async recordDifferences(tx: pg.ClientBase, runId: string, period: Period, added: readonly (FoundDifference & { differenceId: string })[], cameBack: readonly string[]): Promise<void> {
    if (added.length > 0) {
      await tx.query(
        `INSERT INTO reconciliation_differences (difference_id, store_id, period_from, period_until, order_id, kind, first_found_in)
         SELECT id, $2, $3, $4, order_id, kind, $1 FROM unnest($5::text[], $6::text[], $7::text[]) AS a(id, order_id, kind)`,
        [runId, period.storeId, period.from, period.until, added.map((d) => d.differenceId), added.map((d) => d.orderId), added.map((d) => d.kind)],
      );
    }
    if (cameBack.length > 0) {
      await tx.query("UPDATE reconciliation_differences SET resolved_by_data_at = NULL, resolved_in = NULL WHERE difference_id = ANY($1::text[])", [cameBack]);
    }
  },

  async recordFindings(tx: pg.ClientBase, runId: string, findings: readonly { differenceId: string; detail: string; figures: DifferenceFigures }[]): Promise<void> {
    if (findings.length === 0) return;
    await tx.query(
      `INSERT INTO reconciliation_findings (reconciliation_id, difference_id, detail, figures)
       SELECT $1, id, detail, figures FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS f(id, detail, figures)`,
      [runId, findings.map((f) => f.differenceId), findings.map((f) => f.detail), findings.map((f) => JSON.stringify(f.figures))],
    );
  },

  async markResolvedByData(tx: pg.ClientBase, runId: string, differenceIds: readonly string[]): Promise<void> {
    if (differenceIds.length === 0) return;
    await tx.query("UPDATE reconciliation_differences SET resolved_by_data_at = now(), resolved_in = $1 WHERE difference_id = ANY($2::text[])", [runId, differenceIds]);
  },

  /** What the run found, each difference as it now stands, with every explanation, by order and kind. */
  async findingsOf(db: pg.Pool | pg.ClientBase, runId: string): Promise<FindingRow[]> {
    const { rows } = await db.query<{
      difference_id: string;
      order_id: string;
      kind: DifferenceKind;
      detail: string;
      figures: DifferenceFigures;
      first_found_at: Date;
      resolved_by_data_at: Date | null;
      explanations: { explanation_id: string; correction: Correction; note: string; explained_by: string; explained_at: string }[];
    }>(
      `SELECT d.difference_id, d.order_id, d.kind, f.detail, f.figures, d.first_found_at, d.resolved_by_data_at,
              coalesce((SELECT jsonb_agg(jsonb_build_object('explanation_id', e.explanation_id, 'correction', e.correction, 'note', e.note,
                                                            'explained_by', e.explained_by, 'explained_at', e.explained_at) ORDER BY e.position)
                        FROM difference_explanations e WHERE e.difference_id = d.difference_id), '[]') AS explanations
       FROM reconciliation_findings f JOIN reconciliation_differences d USING (difference_id)
       WHERE f.reconciliation_id = $1 ORDER BY d.order_id, d.kind`,
      [runId],
    );
    return rows.map((r) => ({
      differenceId: r.difference_id,
      orderId: r.order_id,
      kind: r.kind,
      detail: r.detail,
      figures: r.figures,
      firstFoundAt: r.first_found_at,
      resolvedByDataAt: r.resolved_by_data_at ?? undefined,
      explanations: r.explanations.map((e) => ({ explanationId: e.explanation_id, correction: e.correction, note: e.note, explainedBy: e.explained_by, explainedAt: new Date(e.explained_at) })),
    }));
  },

  /** The difference, if the run found it, locked until the transaction ends: its explanations are added one at a time. */
  async lockFinding(tx: pg.ClientBase, runId: string, differenceId: string): Promise<DifferenceRow | undefined> {
    const { rows } = await tx.query<{ difference_id: string; store_id: string; period_from: Date; period_until: Date; order_id: string; kind: DifferenceKind }>(
      `SELECT d.difference_id, d.store_id, d.period_from, d.period_until, d.order_id, d.kind
       FROM reconciliation_differences d JOIN reconciliation_findings f USING (difference_id)
       WHERE f.reconciliation_id = $1 AND d.difference_id = $2 FOR UPDATE OF d`,
      [runId, differenceId],
    );
    const r = rows[0];
    return r && { differenceId: r.difference_id, storeId: r.store_id, periodFrom: r.period_from, periodUntil: r.period_until, orderId: r.order_id, kind: r.kind };
  },

  async explanation(db: pg.ClientBase, differenceId: string, explanationId: string): Promise<ExplanationRow | undefined> {
    const { rows } = await db.query<{ explanation_id: string; correction: Correction; note: string; explained_by: string; explained_at: Date }>(
      "SELECT explanation_id, correction, note, explained_by, explained_at FROM difference_explanations WHERE difference_id = $1 AND explanation_id = $2",
      [differenceId, explanationId],
    );
    const r = rows[0];
    return r && { explanationId: r.explanation_id, correction: r.correction, note: r.note, explainedBy: r.explained_by, explainedAt: r.explained_at };
  },

  async insertExplanation(tx: pg.ClientBase, differenceId: string, explanation: Omit<ExplanationRow, "explainedAt">): Promise<Date> {
    const { rows } = await tx.query<{ explained_at: Date }>(
      `INSERT INTO difference_explanations (difference_id, explanation_id, correction, note, explained_by) VALUES ($1, $2, $3, $4, $5) RETURNING explained_at`,
      [differenceId, explanation.explanationId, explanation.correction, explanation.note, explanation.explainedBy],
    );
    return rows[0]!.explained_at;
  },

  /** Whether every difference of the period is explained or resolved by the data. */
  async periodBalanced(db: pg.ClientBase, period: Period): Promise<boolean> {
    const { rows } = await db.query<{ open: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM reconciliation_differences d
                      WHERE d.store_id = $1 AND d.period_from = $2 AND d.period_until = $3 AND d.resolved_by_data_at IS NULL
                        AND NOT EXISTS (SELECT 1 FROM difference_explanations e WHERE e.difference_id = d.difference_id)) AS open`,
      [period.storeId, period.from, period.until],
    );
    return !rows[0]!.open;
  },

  /** The stores billing holds money of: the daily run reconciles each. */
  async storesWithMoney(db: pg.Pool | pg.ClientBase): Promise<string[]> {
    const { rows } = await db.query<{ store_id: string }>("SELECT store_id FROM settlements UNION SELECT store_id FROM prepayments ORDER BY 1");
    return rows.map((r) => r.store_id);
  },
};
