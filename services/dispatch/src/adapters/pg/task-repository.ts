import type pg from "pg";
import type { Task, TaskKind } from "../../domain/task.ts";
import type { TimeSpan } from "../../domain/work-time.ts";
import { activeStatusList, columns, fromRow, visitBound, type TaskRow } from "./task-rows.ts";

type Db = pg.Pool | pg.ClientBase;

/** What an assignment writes: the task's new assignee and the history row, under a fencing token. */
export interface AssignmentRecord {
  taskId: string;
  assignmentId: string;
  staffId: string;
  fencingToken: number;
  assignedAt: Date;
  acknowledgeBy: Date;
}

export interface AssignmentHistoryEntry {
  assignmentId: string;
  staffId: string;
  fencingToken: number;
  outcome: string;
  outcomeReason: string;
  assignedAt: Date;
  acknowledgeBy: Date;
  outcomeAt: Date | undefined;
}

/** A pending task as the dispatch queue sees it. */
export interface QueuedTask {
  taskId: string;
  storeId: string;
  priority: number;
  createdAt: Date;
}

/** Tasks and their assignment history in dispatch's schema. Writes take the caller's transaction. */
export const taskRepository = {
  /** Records pending tasks in one statement; task ids seen before are left as they are. Returns how many were new. */
  async insertPending(tx: pg.ClientBase, tasks: readonly Task[]): Promise<number> {
    if (tasks.length === 0) return 0;
    const rows = tasks.map((t) => ({
      task_id: t.taskId,
      order_id: t.orderId,
      store_id: t.storeId,
      kind: t.kind,
      region: t.region,
      route_group: t.routeGroup ?? "",
      skills: t.skills,
      priority: t.priority,
      due_from: t.dueFrom ?? null,
      due_until: t.dueUntil ?? null,
      correlation_id: t.origin.correlationId,
      causation_id: t.origin.causationId,
      traceparent: t.origin.traceparent,
      created_at: t.createdAt,
      origin: t.afterSalesCase ? "after-sales" : "order",
      case_id: t.afterSalesCase?.caseId ?? null,
      case_kind: t.afterSalesCase?.caseKind ?? null,
      goods: t.afterSalesCase?.goods ?? [],
      preferred_staff_id: t.preferredStaffId ?? null,
    }));
    const result = await tx.query(
      `INSERT INTO tasks (task_id, order_id, store_id, kind, region, route_group, skills, priority, due_from, due_until, status,
         correlation_id, causation_id, traceparent, created_at, origin, case_id, case_kind, goods, preferred_staff_id)
       SELECT task_id, order_id, store_id, kind, region, route_group, skills, priority, due_from, due_until, 'pending',
         correlation_id, causation_id, traceparent, created_at, origin, case_id, case_kind, goods, preferred_staff_id
       FROM jsonb_to_recordset($1::jsonb) AS t(task_id text, order_id text, store_id text, kind text, region text, route_group text,
         skills text[], priority integer, due_from timestamptz, due_until timestamptz, correlation_id text,
         causation_id text, traceparent text, created_at timestamptz, origin text, case_id text, case_kind text, goods jsonb,
         preferred_staff_id text)
       ON CONFLICT (task_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return result.rowCount ?? 0;
  },

  /** A task's new plan (store, region, route group, due window), after an upstream change. */
  async replan(tx: pg.ClientBase, task: Task): Promise<void> {
    await tx.query(
      `UPDATE tasks SET store_id = $2, region = $3, route_group = $4, due_from = $5, due_until = $6 WHERE task_id = $1`,
      [task.taskId, task.storeId, task.region, task.routeGroup ?? "", task.dueFrom ?? null, task.dueUntil ?? null],
    );
  },

  /** The task, locked for the rest of the transaction. */
  async lockById(tx: pg.ClientBase, taskId: string): Promise<Task | undefined> {
    const { rows } = await tx.query<TaskRow>(`SELECT ${columns} FROM tasks WHERE task_id = $1 FOR UPDATE`, [taskId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** These tasks, locked, in task id order (the order every batch locks tasks in). */
  async lockByIds(tx: pg.ClientBase, taskIds: readonly string[]): Promise<Task[]> {
    const { rows } = await tx.query<TaskRow>(`SELECT ${columns} FROM tasks WHERE task_id = ANY($1::text[]) ORDER BY task_id COLLATE "C" FOR UPDATE`, [taskIds]);
    return rows.map(fromRow);
  },

  /**
   * Every task of these orders, whatever its state, and these tasks, locked in task id order and
   * nothing returned: what a consumer's batch takes up front so that its runs, each locking its own
   * orders' tasks, never take two tasks out of the order the engine's batches take them in.
   */
  async lockAllOf(tx: pg.ClientBase, orderIds: readonly string[], taskIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0 && taskIds.length === 0) return;
    await tx.query(`SELECT 1 FROM tasks WHERE order_id = ANY($1::text[]) OR task_id = ANY($2::text[]) ORDER BY task_id COLLATE "C" FOR UPDATE`, [orderIds, taskIds]);
  },

  /**
   * Where the order's own tasks were done, newest first: the district and the skills its
   * service needed, for an after-sales visit to the same goods (ADR 025).
   */
  async orderWorkOf(db: Db, orderId: string): Promise<{ region: string; serviceSkills: string[] } | undefined> {
    const { rows } = await db.query<{ region: string; kind: TaskKind; skills: string[] }>(
      `SELECT region, kind, skills FROM tasks WHERE order_id = $1 AND origin = 'order' ORDER BY (kind = 'service') DESC, created_at DESC LIMIT 1`,
      [orderId],
    );
    const row = rows[0];
    return row && { region: row.region, serviceSkills: row.kind === "service" ? row.skills : [] };
  },

  async findById(db: Db, taskId: string): Promise<Task | undefined> {
    const { rows } = await db.query<TaskRow>(`SELECT ${columns} FROM tasks WHERE task_id = $1`, [taskId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Pending tasks due for an attempt, in dispatch order (higher priority, then older, then id). */
  async dueForDispatch(db: Db, limit: number): Promise<QueuedTask[]> {
    const { rows } = await db.query<{ task_id: string; store_id: string; priority: number; created_at: Date }>(
      `SELECT task_id, store_id, priority, created_at FROM tasks
       WHERE status = 'pending' AND held_since IS NULL AND next_attempt_at <= now()
       ORDER BY priority DESC, created_at, task_id COLLATE "C" LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ taskId: r.task_id, storeId: r.store_id, priority: r.priority, createdAt: r.created_at }));
  },

  /**
   * Writes the assignment only if no newer lock holder wrote one: the task row takes the
   * token when `fencing_token IS NULL OR fencing_token < token`. Returns false (and writes
   * nothing) for a stale token. A current assignment of the task is superseded.
   */
  async recordAssignment(tx: pg.ClientBase, a: AssignmentRecord): Promise<boolean> {
    return (await taskRepository.recordAssignments(tx, [a])).has(a.taskId);
  },

  /**
   * Writes several tasks' assignments (each task once) in two statements; returns the
   * tasks whose write took. The fence and the supersede go together: the supersede acts
   * only on tasks the fence took. The insert is its own statement because the
   * one-current-assignment index must see the supersede done, and sub-statements of one
   * WITH run in no set order.
   */
  async recordAssignments(tx: pg.ClientBase, records: readonly AssignmentRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const { rows } = await tx.query<{ task_id: string }>(
      `WITH wanted AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS w(task_id, staff_id, fencing_token)
       ), fenced AS (
         UPDATE tasks t SET status = 'assigned', assignee_staff_id = w.staff_id, fencing_token = w.fencing_token, updated_at = now()
         FROM wanted w
         WHERE t.task_id = w.task_id AND (t.fencing_token IS NULL OR t.fencing_token < w.fencing_token)
         RETURNING t.task_id
       ), superseded AS (
         UPDATE assignments SET outcome = 'superseded', outcome_at = now()
         WHERE task_id IN (SELECT task_id FROM fenced) AND outcome IN ('open', 'acknowledged')
       )
       SELECT task_id FROM fenced`,
      [records.map((a) => a.taskId), records.map((a) => a.staffId), records.map((a) => a.fencingToken)],
    );
    const fenced = new Set(rows.map((r) => r.task_id));
    const taken = records.filter((a) => fenced.has(a.taskId));
    if (taken.length > 0) {
      await tx.query(
        `INSERT INTO assignments (assignment_id, task_id, staff_id, fencing_token, assigned_at, acknowledge_by)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])`,
        [
          taken.map((a) => a.assignmentId),
          taken.map((a) => a.taskId),
          taken.map((a) => a.staffId),
          taken.map((a) => a.fencingToken),
          taken.map((a) => a.assignedAt),
          taken.map((a) => a.acknowledgeBy),
        ],
      );
    }
    return fenced;
  },

  /**
   * The orders' own tasks that are still open (pending or held by someone), locked, in task id
   * order. After-sales visits are the case's, not the order's: an order's end leaves them be.
   */
  async lockOpenOfOrders(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Task[]> {
    const { rows } = await tx.query<TaskRow>(
      `SELECT ${columns} FROM tasks
       WHERE order_id = ANY($1::text[]) AND origin = 'order' AND status IN ('pending', 'assigned', 'acknowledged', 'in-progress', 'reported')
       ORDER BY task_id COLLATE "C" FOR UPDATE`,
      [orderIds],
    );
    return rows.map(fromRow);
  },

  /** The tasks are paused (their order is held): since then, in a new hold round. Only tasks not paused yet are passed in. */
  async recordHeld(tx: pg.ClientBase, taskIds: readonly string[], at: Date): Promise<void> {
    if (taskIds.length === 0) return;
    await tx.query("UPDATE tasks SET held_since = $2, hold_round = hold_round + 1, updated_at = now() WHERE task_id = ANY($1::text[])", [taskIds, at]);
  },

  /** The tasks' order left the hold: they run again, a pending one is due for the engine at once. */
  async recordResumed(tx: pg.ClientBase, taskIds: readonly string[]): Promise<void> {
    if (taskIds.length === 0) return;
    await tx.query("UPDATE tasks SET held_since = NULL, next_attempt_at = now(), updated_at = now() WHERE task_id = ANY($1::text[])", [taskIds]);
  },

  /** A resumed assignment's fresh acknowledgement deadline. */
  async moveAcknowledgeBy(tx: pg.ClientBase, assignmentId: string, acknowledgeBy: Date): Promise<void> {
    await tx.query("UPDATE assignments SET acknowledge_by = $2 WHERE assignment_id = $1 AND outcome = 'open'", [assignmentId, acknowledgeBy]);
  },

  /** Closes tasks (done or cancelled) and their current assignments, in two statements however many. */
  async recordClosed(tx: pg.ClientBase, closures: readonly { taskId: string; status: "done" | "cancelled" }[]): Promise<void> {
    if (closures.length === 0) return;
    const params = [closures.map((c) => c.taskId), closures.map((c) => c.status)];
    await tx.query(
      `UPDATE tasks t SET status = c.status, closed_at = now(), updated_at = now()
       FROM unnest($1::text[], $2::text[]) AS c(task_id, status) WHERE t.task_id = c.task_id`,
      params,
    );
    await tx.query(
      `UPDATE assignments a SET outcome = c.status, outcome_at = now()
       FROM unnest($1::text[], $2::text[]) AS c(task_id, status)
       WHERE a.task_id = c.task_id AND a.outcome IN ('open', 'acknowledged')`,
      params,
    );
  },

  /** Nobody could take the task: keep the first reason, try again after `retryAfterMs`. */
  async recordQueued(tx: pg.ClientBase, taskId: string, reason: string, retryAfterMs: number): Promise<void> {
    await tx.query(
      `UPDATE tasks SET queued_reason = COALESCE(queued_reason, $2), queued_at = COALESCE(queued_at, now()),
         next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
       WHERE task_id = $1`,
      [taskId, reason, retryAfterMs],
    );
  },

  /** Puts a task whose attempt failed back in the queue for later, so it cannot hold up the others. */
  async deferAttempt(db: Db, taskId: string, retryAfterMs: number): Promise<void> {
    await db.query("UPDATE tasks SET next_attempt_at = now() + $2 * interval '1 millisecond' WHERE task_id = $1 AND status = 'pending'", [
      taskId,
      retryAfterMs,
    ]);
  },

  /** Makes the store's queued tasks due at once (its staff changed); returns how many. */
  async retryQueuedOfStores(tx: pg.ClientBase, storeIds: readonly string[]): Promise<number> {
    const result = await tx.query(
      "UPDATE tasks SET next_attempt_at = now() WHERE status = 'pending' AND store_id = ANY($1::text[]) AND next_attempt_at > now()",
      [storeIds],
    );
    return result.rowCount ?? 0;
  },

  /** The highest fencing token ever written, so the Redis counter can be kept above it. */
  async highestFencingToken(db: Db): Promise<number> {
    const { rows } = await db.query<{ token: number | null }>("SELECT max(fencing_token) AS token FROM tasks");
    return rows[0]?.token ?? 0;
  },

  /** Assignees took their tasks: the tasks and their assignments acknowledged (each with its time), in one statement. */
  async recordAcknowledgedMany(tx: pg.ClientBase, acknowledged: readonly { taskId: string; assignmentId: string; at: Date }[]): Promise<void> {
    if (acknowledged.length === 0) return;
    // One round trip for both tables: an assignment going from open to acknowledged stays
    // current, so the one-current-assignment index has nothing to order.
    await tx.query(
      `WITH tasks_acknowledged AS (
         UPDATE tasks SET status = 'acknowledged', updated_at = now() WHERE task_id = ANY($1::text[])
       )
       UPDATE assignments a SET outcome = 'acknowledged', acknowledged_at = c.at
       FROM unnest($2::text[], $3::timestamptz[]) AS c(assignment_id, at) WHERE a.assignment_id = c.assignment_id`,
      [acknowledged.map((a) => a.taskId), acknowledged.map((a) => a.assignmentId), acknowledged.map((a) => a.at)],
    );
  },

  /**
   * The assignment ended unacknowledged: it records how, and the task is pending again,
   * due at once, without its assignee and without them among the candidates. The fencing
   * token stays, so only a newer lock holder can assign it.
   */
  async recordReleased(
    tx: pg.ClientBase,
    r: { taskId: string; assignmentId: string; staffId: string; outcome: "declined" | "missed" | "withdrawn"; reason: string; at: Date },
  ): Promise<void> {
    await tx.query("UPDATE assignments SET outcome = $2, outcome_reason = $3, outcome_at = $4 WHERE assignment_id = $1", [
      r.assignmentId,
      r.outcome,
      r.reason,
      r.at,
    ]);
    await tx.query(
      `UPDATE tasks SET status = 'pending', assignee_staff_id = NULL, queued_reason = NULL, queued_at = NULL,
         excluded_staff_ids = CASE WHEN $2::text = ANY(excluded_staff_ids) THEN excluded_staff_ids ELSE array_append(excluded_staff_ids, $2::text) END,
         next_attempt_at = now(), updated_at = now()
       WHERE task_id = $1`,
      [r.taskId, r.staffId],
    );
  },

  /** The unacknowledged tasks a person holds, locked, in task id order. */
  async lockUnacknowledgedOf(tx: pg.ClientBase, staffId: string): Promise<Task[]> {
    const { rows } = await tx.query<TaskRow>(
      `SELECT ${columns} FROM tasks WHERE assignee_staff_id = $1 AND status = 'assigned' ORDER BY task_id COLLATE "C" FOR UPDATE`,
      [staffId],
    );
    return rows.map(fromRow);
  },

  /** The visits (appointments, else booked windows) of the service tasks a person holds, other than `exceptTaskId`. */
  async visitsHeldBy(db: Db, staffId: string, exceptTaskId = ""): Promise<TimeSpan[]> {
    const { rows } = await db.query<{ visit_from: Date | null; visit_until: Date | null }>(
      `SELECT ${visitBound("appointment_from", "window_start")} AS visit_from, ${visitBound("appointment_until", "window_end")} AS visit_until
       FROM tasks WHERE assignee_staff_id = $1 AND kind = 'service' AND status IN (${activeStatusList}) AND task_id <> $2`,
      [staffId, exceptTaskId],
    );
    return rows.flatMap((r) => (r.visit_from && r.visit_until ? [{ from: r.visit_from, until: r.visit_until }] : []));
  },

  /** Every task waiting for its assignee's acknowledgement, unlocked (for the availability sweep). */
  async unacknowledged(db: Db): Promise<Task[]> {
    const { rows } = await db.query<TaskRow>(`SELECT ${columns} FROM tasks WHERE status = 'assigned'`);
    return rows.map(fromRow);
  },

  async assignmentsOf(db: Db, taskId: string): Promise<AssignmentHistoryEntry[]> {
    return (await taskRepository.assignmentsOfMany(db, [taskId])).get(taskId) ?? [];
  },

  /** The assignment histories of several tasks in one statement, each oldest first. */
  async assignmentsOfMany(db: Db, taskIds: readonly string[]): Promise<Map<string, AssignmentHistoryEntry[]>> {
    const { rows } = await db.query<{
      task_id: string;
      assignment_id: string;
      staff_id: string;
      fencing_token: number;
      outcome: string;
      outcome_reason: string;
      assigned_at: Date;
      acknowledge_by: Date;
      outcome_at: Date | null;
    }>(
      `SELECT task_id, assignment_id, staff_id, fencing_token, outcome, outcome_reason, assigned_at, acknowledge_by, outcome_at
       FROM assignments WHERE task_id = ANY($1::text[]) ORDER BY assigned_at, fencing_token`,
      [[...new Set(taskIds)]],
    );
    const histories = new Map<string, AssignmentHistoryEntry[]>();
    for (const r of rows) {
      const entry: AssignmentHistoryEntry = {
        assignmentId: r.assignment_id,
        staffId: r.staff_id,
        fencingToken: Number(r.fencing_token),
        outcome: r.outcome,
        outcomeReason: r.outcome_reason,
        assignedAt: r.assigned_at,
        acknowledgeBy: r.acknowledge_by,
        outcomeAt: r.outcome_at ?? undefined,
      };
      histories.set(r.task_id, [...(histories.get(r.task_id) ?? []), entry]);
    }
    return histories;
  },
};
