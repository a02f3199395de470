import type pg from "pg";

type Db = pg.Pool | pg.ClientBase;

export type ServiceStep = "arrival" | "report";
/** A time node of a task: a service visit's steps, and the acknowledgement of any assignment (listed once missed). */
export type TaskStep = ServiceStep | "acknowledgement";

export interface StepDeadline {
  taskId: string;
  step: TaskStep;
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
  step: TaskStep;
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

  async lock(tx: pg.ClientBase, taskId: string, step: TaskStep): Promise<StepDeadline | undefined> {
    const { rows } = await tx.query<Row>("SELECT * FROM step_deadlines WHERE task_id = $1 AND step = $2 FOR UPDATE", [taskId, step]);
    return rows[0] && fromRow(rows[0]);
  },

  /** The step met for many tasks at once (those with a deadline still open); a deadline already met keeps its time. */
  async markMetMany(tx: pg.ClientBase, met: readonly { taskId: string; at: Date }[], step: TaskStep): Promise<void> {
    if (met.length === 0) return;
    await tx.query(
      `UPDATE step_deadlines d SET met_at = m.at FROM unnest($1::text[], $2::timestamptz[]) AS m(task_id, at)
       WHERE d.task_id = m.task_id AND d.step = $3 AND d.met_at IS NULL`,
      [met.map((m) => m.taskId), met.map((m) => m.at), step],
    );
  },

  async markMet(tx: pg.ClientBase, taskId: string, step: TaskStep, at: Date): Promise<StepDeadline | undefined> {
    const { rows } = await tx.query<Row>("UPDATE step_deadlines SET met_at = $3 WHERE task_id = $1 AND step = $2 AND met_at IS NULL RETURNING *", [taskId, step, at]);
    return rows[0] && fromRow(rows[0]);
  },

  async markOverdue(tx: pg.ClientBase, taskId: string, step: TaskStep, level: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE step_deadlines SET level = $3, overdue_since = COALESCE(overdue_since, $4), escalated_at = CASE WHEN $3 >= 2 THEN $4 ELSE escalated_at END
       WHERE task_id = $1 AND step = $2`,
      [taskId, step, level, at],
    );
  },

  /**
   * An acknowledgement deadline was missed: the task's acknowledgement step is overdue
   * (again, if it was met before) until someone acknowledges it. The first miss is level 1;
   * a further miss while still unacknowledged is level 2. Returns the step as it is now.
   */
  async recordMissedAcknowledgement(tx: pg.ClientBase, m: { taskId: string; storeId: string; staffId: string; dueAt: Date; at: Date }): Promise<StepDeadline> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO step_deadlines (task_id, step, store_id, staff_id, version, due_at, level, overdue_since)
       VALUES ($1, 'acknowledgement', $2, $3, 1, $4, 1, $5)
       ON CONFLICT (task_id, step) DO UPDATE SET staff_id = EXCLUDED.staff_id, due_at = EXCLUDED.due_at,
         version = step_deadlines.version + 1,
         level = CASE WHEN step_deadlines.met_at IS NULL THEN LEAST(step_deadlines.level + 1, 2) ELSE 1 END,
         overdue_since = CASE WHEN step_deadlines.met_at IS NULL THEN step_deadlines.overdue_since ELSE EXCLUDED.overdue_since END,
         escalated_at = CASE WHEN step_deadlines.met_at IS NULL AND step_deadlines.level >= 1 THEN EXCLUDED.overdue_since ELSE NULL END,
         met_at = NULL
       RETURNING *`,
      [m.taskId, m.storeId, m.staffId, m.dueAt, m.at],
    );
    return fromRow(rows[0]!);
  },

  /** The store's steps that are overdue and still not done (on tasks not closed), oldest deadline first. */
  async overdueOfStore(db: Db, storeId: string): Promise<(StepDeadline & { orderId: string })[]> {
    const { rows } = await db.query<Row & { order_id: string }>(
      `SELECT d.*, t.order_id FROM step_deadlines d JOIN tasks t USING (task_id)
       WHERE d.store_id = $1 AND d.level > 0 AND d.met_at IS NULL AND t.status NOT IN ('done', 'cancelled')
       ORDER BY d.due_at, d.task_id COLLATE "C", d.step`,
      [storeId],
    );
    return rows.map((r) => ({ ...fromRow(r), orderId: r.order_id }));
  },

  /** The task's steps not yet done, locked (a paused task's, to be called off or started again). */
  async lockOpenOfTask(tx: pg.ClientBase, taskId: string): Promise<StepDeadline[]> {
    const { rows } = await tx.query<Row>("SELECT * FROM step_deadlines WHERE task_id = $1 AND met_at IS NULL ORDER BY step FOR UPDATE", [taskId]);
    return rows.map(fromRow);
  },

  /** A resumed step's deadline, moved where its restarted timer is (not for a step already warned: its deadline stays what it was). */
  async moveDue(tx: pg.ClientBase, taskId: string, step: TaskStep, dueAt: Date): Promise<void> {
    await tx.query("UPDATE step_deadlines SET due_at = $3 WHERE task_id = $1 AND step = $2 AND met_at IS NULL AND level = 0", [taskId, step, dueAt]);
  },

  /** A visit's open time nodes go with it to a new assignee (a missed acknowledgement stays with who missed it). */
  async handOver(tx: pg.ClientBase, taskId: string, staffId: string): Promise<void> {
    await tx.query("UPDATE step_deadlines SET staff_id = $2 WHERE task_id = $1 AND step <> 'acknowledgement' AND met_at IS NULL", [taskId, staffId]);
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
