import type pg from "pg";

type Db = pg.Pool | pg.ClientBase;

export type ServiceStep = "arrival" | "report";

export interface StepDeadline {
  taskId: string;
  step: ServiceStep;
  storeId: string;
  staffId: string;
  version: number;
  dueAt: Date;
  /** 0 = not overdue; 1 = the assignee was warned; 2 = escalated to the store manager. */
  level: number;
  overdueSince?: Date;
  metAt?: Date;
}

interface Row {
  task_id: string;
  step: ServiceStep;
  store_id: string;
  staff_id: string;
  version: number;
  due_at: Date;
  level: number;
  overdue_since: Date | null;
  met_at: Date | null;
}

const fromRow = (r: Row): StepDeadline => ({
  taskId: r.task_id,
  step: r.step,
  storeId: r.store_id,
  staffId: r.staff_id,
  version: r.version,
  dueAt: r.due_at,
  level: r.level,
  ...(r.overdue_since ? { overdueSince: r.overdue_since } : {}),
  ...(r.met_at ? { metAt: r.met_at } : {}),
});

/** The time nodes of service tasks (arrival, report), in dispatch's schema. Writes take the caller's transaction. */
export const stepDeadlineRepository = {
  /** Sets (or moves, after a re-confirmation) a task's deadlines: they start again, not overdue and not met. */
  async set(tx: pg.ClientBase, deadlines: readonly Omit<StepDeadline, "level" | "overdueSince" | "metAt">[]): Promise<void> {
    if (deadlines.length === 0) return;
    await tx.query(
      `INSERT INTO step_deadlines (task_id, step, store_id, staff_id, version, due_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[])
       ON CONFLICT (task_id, step) DO UPDATE SET store_id = EXCLUDED.store_id, staff_id = EXCLUDED.staff_id, version = EXCLUDED.version,
         due_at = EXCLUDED.due_at, level = 0, overdue_since = NULL, escalated_at = NULL, met_at = NULL`,
      [
        deadlines.map((d) => d.taskId),
        deadlines.map((d) => d.step),
        deadlines.map((d) => d.storeId),
        deadlines.map((d) => d.staffId),
        deadlines.map((d) => d.version),
        deadlines.map((d) => d.dueAt),
      ],
    );
  },

  async lock(tx: pg.ClientBase, taskId: string, step: ServiceStep): Promise<StepDeadline | undefined> {
    const { rows } = await tx.query<Row>("SELECT * FROM step_deadlines WHERE task_id = $1 AND step = $2 FOR UPDATE", [taskId, step]);
    return rows[0] && fromRow(rows[0]);
  },

  /** The step was done; returns the deadline as it was, if it was still open. */
  async markMet(tx: pg.ClientBase, taskId: string, step: ServiceStep, at: Date): Promise<StepDeadline | undefined> {
    const { rows } = await tx.query<Row>("UPDATE step_deadlines SET met_at = $3 WHERE task_id = $1 AND step = $2 AND met_at IS NULL RETURNING *", [taskId, step, at]);
    return rows[0] && fromRow(rows[0]);
  },

  async markOverdue(tx: pg.ClientBase, taskId: string, step: ServiceStep, level: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE step_deadlines SET level = $3, overdue_since = COALESCE(overdue_since, $4), escalated_at = CASE WHEN $3 >= 2 THEN $4 ELSE escalated_at END
       WHERE task_id = $1 AND step = $2`,
      [taskId, step, level, at],
    );
  },

  /** The store's steps that are overdue and still not done, oldest deadline first. */
  async overdueOfStore(db: Db, storeId: string): Promise<(StepDeadline & { orderId: string })[]> {
    const { rows } = await db.query<Row & { order_id: string }>(
      `SELECT d.*, t.order_id FROM step_deadlines d JOIN tasks t USING (task_id)
       WHERE d.store_id = $1 AND d.level > 0 AND d.met_at IS NULL AND t.status IN ('acknowledged', 'in-progress', 'reported')
       ORDER BY d.due_at, d.task_id COLLATE "C", d.step`,
      [storeId],
    );
    return rows.map((r) => ({ ...fromRow(r), orderId: r.order_id }));
  },

  /** Who a level-2 overdue step is escalated to: the store's active store managers. */
  async storeManagersOf(db: Db, storeId: string): Promise<string[]> {
    const { rows } = await db.query<{ staff_id: string }>(
      `SELECT staff_id FROM staff WHERE store_id = $1 AND active AND 'store-manager' = ANY(roles) ORDER BY staff_id COLLATE "C"`,
      [storeId],
    );
    return rows.map((r) => r.staff_id);
  },
};
