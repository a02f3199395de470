import type pg from "pg";
import type { OverduePosition, PageAsked } from "../../app/queries/clerk-list-pages.ts";
import type { ReplacementDeadline } from "../../domain/replacement-deadline.ts";
import { shipmentStepOf, type ShipmentStep } from "../../domain/step-deadlines.ts";

type Db = pg.Pool | pg.ClientBase;

interface Row {
  case_id: string;
  step: string;
  order_id: string;
  store_id: string;
  correlation_id: string;
  due_at: Date;
  level: number;
  overdue_since: Date | null;
  met_at: Date | null;
  called_off_at: Date | null;
}

const fromRow = (r: Row): ReplacementDeadline => ({
  caseId: r.case_id,
  step: shipmentStepOf(r.step),
  orderId: r.order_id,
  storeId: r.store_id,
  correlationId: r.correlation_id,
  dueAt: r.due_at,
  level: r.level,
  overdueSince: r.overdue_since ?? undefined,
  metAt: r.met_at ?? undefined,
  calledOffAt: r.called_off_at ?? undefined,
});

export interface NewReplacementDeadline {
  caseId: string;
  step: ShipmentStep;
  orderId: string;
  storeId: string;
  correlationId: string;
  startedAt: Date;
  dueAt: Date;
}

/**
 * Replacements' time nodes, one a step (ADR 030's fifth and seventh addenda; a row from before the
 * steps is a ship-by node). Writes take the caller's transaction, which holds the replacement's row.
 */
export const replacementDeadlineRepository = {
  /**
   * The nodes start, in one statement; returns the cases whose node started here. One already
   * running at the same store (the step heard again) keeps its first deadline; one running at
   * another store (the replacement moved) starts again at this one, unflagged; one met or called
   * off is left as it says.
   */
  async start(tx: pg.ClientBase, nodes: readonly NewReplacementDeadline[]): Promise<Set<string>> {
    if (nodes.length === 0) return new Set();
    const { rows } = await tx.query<{ case_id: string }>(
      `INSERT INTO replacement_ship_deadlines (case_id, order_id, store_id, correlation_id, started_at, due_at, step)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[])
       ON CONFLICT (case_id, step) DO UPDATE SET store_id = EXCLUDED.store_id, correlation_id = EXCLUDED.correlation_id, started_at = EXCLUDED.started_at,
         due_at = EXCLUDED.due_at, level = 0, overdue_since = NULL, escalated_at = NULL
       WHERE replacement_ship_deadlines.store_id <> EXCLUDED.store_id AND replacement_ship_deadlines.met_at IS NULL AND replacement_ship_deadlines.called_off_at IS NULL
       RETURNING case_id`,
      [
        nodes.map((n) => n.caseId),
        nodes.map((n) => n.orderId),
        nodes.map((n) => n.storeId),
        nodes.map((n) => n.correlationId),
        nodes.map((n) => n.startedAt),
        nodes.map((n) => n.dueAt),
        nodes.map((n) => n.step),
      ],
    );
    return new Set(rows.map((r) => r.case_id));
  },

  /** The case's nodes as they stand, unlocked: the store and step of each, whose timers to call off before the nodes are touched. */
  async nodesOf(tx: pg.ClientBase, caseId: string): Promise<{ storeId: string; step: ShipmentStep }[]> {
    const { rows } = await tx.query<{ store_id: string; step: string }>("SELECT store_id, step FROM replacement_ship_deadlines WHERE case_id = $1", [caseId]);
    return rows.map((r) => ({ storeId: r.store_id, step: shipmentStepOf(r.step) }));
  },

  /** Its step done (`met`: picked, packed, shipped) or the replacement called off: the nodes still open among `steps` have nothing left to watch. */
  async end(tx: pg.ClientBase, caseId: string, steps: readonly ShipmentStep[], how: "met" | "called-off", at: Date): Promise<void> {
    const column = how === "met" ? "met_at" : "called_off_at";
    await tx.query(`UPDATE replacement_ship_deadlines SET ${column} = $3 WHERE case_id = $1 AND step = ANY($2::text[]) AND met_at IS NULL AND called_off_at IS NULL`, [caseId, [...steps], at]);
  },

  /** The node, locked for the rest of the transaction (a timer deciding on it). */
  async lock(tx: pg.ClientBase, caseId: string, step: ShipmentStep): Promise<ReplacementDeadline | undefined> {
    const { rows } = await tx.query<Row>("SELECT * FROM replacement_ship_deadlines WHERE case_id = $1 AND step = $2 FOR UPDATE", [caseId, step]);
    return rows[0] && fromRow(rows[0]);
  },

  async markOverdue(tx: pg.ClientBase, caseId: string, step: ShipmentStep, level: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE replacement_ship_deadlines SET level = $2::smallint, overdue_since = COALESCE(overdue_since, $3), escalated_at = CASE WHEN $2::smallint >= 2 THEN $3 ELSE escalated_at END
       WHERE case_id = $1 AND step = $4`,
      [caseId, level, at, step],
    );
  },

  /**
   * The store's replacements flagged late and still neither shipped nor called off, oldest
   * deadline first (the case id, then the step, breaking a tie): `page.size` of them after
   * `page.after`, each with its position.
   */
  async overdueOfStore(db: Db, storeId: string, page: PageAsked<OverduePosition>): Promise<(ReplacementDeadline & { position: OverduePosition })[]> {
    const params: unknown[] = [storeId];
    const where = ["store_id = $1", "level > 0", "met_at IS NULL", "called_off_at IS NULL"];
    if (page.after) {
      const [at, id, step] = [params.push(page.after.dueAtMicros), params.push(page.after.id), params.push(page.after.step)];
      where.push(`(due_at, case_id COLLATE "C", step COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C", $${step}::text COLLATE "C")`);
    }
    const { rows } = await db.query<Row & { due_micros: string }>(
      `SELECT *, (extract(epoch FROM due_at) * 1000000)::bigint::text AS due_micros FROM replacement_ship_deadlines
       WHERE ${where.join(" AND ")}
       ORDER BY due_at, case_id COLLATE "C", step COLLATE "C" LIMIT $${params.push(page.size)}`,
      params,
    );
    return rows.map((r) => ({ ...fromRow(r), position: { dueAtMicros: r.due_micros, id: r.case_id, step: r.step } }));
  },
};
