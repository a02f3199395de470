import type pg from "pg";
import type { TaskKind, TaskStatus } from "../../domain/task.ts";
import type { WorklistPage, WorklistPosition } from "../../app/queries/worklist-pages.ts";
import type { WorklistOrder, WorklistQuery } from "../../domain/worklist.ts";

/** A task as a worklist shows it: what it is, where it stands, who holds it and when it is due. */
export interface WorklistEntry {
  taskId: string;
  orderId: string;
  storeId: string;
  kind: TaskKind;
  status: TaskStatus;
  staffId: string | undefined;
  region: string;
  priority: number;
  createdAt: Date;
  /** The current assignment's deadline, while it is not acknowledged. */
  acknowledgeBy: Date | undefined;
  /** Service tasks: the confirmed appointment. */
  appointment: { from: Date; until: Date } | undefined;
  /** Its place in the list, as a page token keeps it. */
  position: WorklistPosition;
}

interface Row {
  task_id: string;
  order_id: string;
  store_id: string;
  kind: TaskKind;
  status: TaskStatus;
  assignee_staff_id: string | null;
  region: string;
  priority: number;
  created_at: Date;
  acknowledge_by: Date | null;
  appointment_from: Date | null;
  appointment_until: Date | null;
  due_micros: string;
  created_micros: string;
}

const dueAt = "COALESCE(v.appointment_from, a.acknowledge_by, t.created_at)";
const micros = (at: string) => `timestamptz 'epoch' + ${at}::bigint * interval '1 microsecond'`;

// Task id last in both: a stable order for tasks created in the same instant.
const orderBy: Record<WorklistOrder, string> = {
  "soonest-due": `${dueAt}, t.created_at, t.task_id COLLATE "C"`,
  "oldest-first": `t.created_at, t.task_id COLLATE "C"`,
};

/** The tasks after a page's last one, in each order: one row comparison over the order's keys. */
function afterCondition(order: WorklistOrder, after: WorklistPosition, params: unknown[]): string {
  const created = micros(`$${params.push(after.createdAtMicros)}`);
  const id = `$${params.push(after.taskId)}::text COLLATE "C"`;
  if (order === "oldest-first") return `(t.created_at, t.task_id COLLATE "C") > (${created}, ${id})`;
  return `(${dueAt}, t.created_at, t.task_id COLLATE "C") > (${micros(`$${params.push(after.dueAtMicros)}`)}, ${created}, ${id})`;
}

/** Worklists read from dispatch's tables (migration 010 indexes a store's tasks by status). */
export const worklistRepository = {
  /** `page.size` tasks of the query's list after `page.after`, in the list's order. */
  async list(db: pg.Pool | pg.ClientBase, query: WorklistQuery, page: WorklistPage): Promise<WorklistEntry[]> {
    if (query.statuses.length === 0) return [];
    const params: unknown[] = [query.statuses];
    const conditions = ["t.status = ANY($1::text[])"];
    if (query.staffId !== undefined) conditions.push(`t.assignee_staff_id = $${params.push(query.staffId)}`);
    if (query.storeId !== undefined) conditions.push(`t.store_id = $${params.push(query.storeId)}`);
    if (page.after) conditions.push(afterCondition(query.order, page.after, params));
    // Only an open assignment has a deadline still to meet; an acknowledged one met it.
    const { rows } = await db.query<Row>(
      `SELECT t.task_id, t.order_id, t.store_id, t.kind, t.status, t.assignee_staff_id, t.region, t.priority, t.created_at,
         a.acknowledge_by, v.appointment_from, v.appointment_until,
         (extract(epoch FROM ${dueAt}) * 1000000)::bigint::text AS due_micros, (extract(epoch FROM t.created_at) * 1000000)::bigint::text AS created_micros
       FROM tasks t
       LEFT JOIN assignments a ON a.task_id = t.task_id AND a.outcome = 'open'
       LEFT JOIN service_visits v ON v.task_id = t.task_id
       WHERE ${conditions.join(" AND ")}
       ORDER BY ${orderBy[query.order]}
       LIMIT $${params.push(page.size)}`,
      params,
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      orderId: r.order_id,
      storeId: r.store_id,
      kind: r.kind,
      status: r.status,
      staffId: r.assignee_staff_id ?? undefined,
      region: r.region,
      priority: r.priority,
      createdAt: r.created_at,
      acknowledgeBy: r.acknowledge_by ?? undefined,
      appointment: r.appointment_from && r.appointment_until ? { from: r.appointment_from, until: r.appointment_until } : undefined,
      position: { dueAtMicros: r.due_micros, createdAtMicros: r.created_micros, taskId: r.task_id },
    }));
  },
};
