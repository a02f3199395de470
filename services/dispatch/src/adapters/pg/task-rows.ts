import { activeTaskStatuses, type Task, type TaskKind, type TaskStatus } from "../../domain/task.ts";

/** How a task row reads: the columns every task query selects, and the row mapped to the domain's Task. */

export const activeStatusList = activeTaskStatuses.map((s) => `'${s}'`).join(", ");

export interface TaskRow {
  task_id: string;
  order_id: string;
  store_id: string;
  kind: TaskKind;
  region: string;
  route_group: string;
  skills: string[];
  priority: number;
  due_from: Date | null;
  due_until: Date | null;
  status: TaskStatus;
  assignee_staff_id: string | null;
  fencing_token: number | null;
  queued_reason: string | null;
  created_at: Date;
  correlation_id: string;
  causation_id: string;
  traceparent: string;
  excluded_staff_ids: string[];
  assignment_id: string | null;
  acknowledge_by: Date | null;
  rework_round: number;
  visit_from: Date | null;
  visit_until: Date | null;
  origin: "order" | "after-sales";
  case_id: string | null;
  case_kind: string | null;
  goods: { sku: string; quantity: number }[];
  preferred_staff_id: string | null;
  held_since: Date | null;
  hold_round: number;
}

// A service task's visit: its agreed appointment, else the window booked for its order (an
// after-sales visit has no booking: the order's window was its first service, long done).
export const visitBound = (appointment: string, booking: string, task = "tasks") => `CASE WHEN ${task}.kind = 'service' THEN COALESCE(
    (SELECT ${appointment} FROM service_visits v WHERE v.task_id = ${task}.task_id),
    (SELECT ${booking} FROM window_bookings b WHERE b.order_id = ${task}.order_id AND ${task}.origin = 'order')) END`;

// The current assignment comes from the history (at most one is open or acknowledged).
export const columns = `task_id, order_id, store_id, kind, region, route_group, skills, priority, due_from, due_until, status,
  assignee_staff_id, fencing_token, queued_reason, created_at, correlation_id, causation_id, traceparent, excluded_staff_ids, rework_round,
  origin, case_id, case_kind, goods, preferred_staff_id, held_since, hold_round,
  ${visitBound("appointment_from", "window_start")} AS visit_from, ${visitBound("appointment_until", "window_end")} AS visit_until,
  (SELECT assignment_id FROM assignments a WHERE a.task_id = tasks.task_id AND a.outcome IN ('open', 'acknowledged')) AS assignment_id,
  (SELECT acknowledge_by FROM assignments a WHERE a.task_id = tasks.task_id AND a.outcome IN ('open', 'acknowledged')) AS acknowledge_by`;

export function fromRow(row: TaskRow): Task {
  return {
    taskId: row.task_id,
    orderId: row.order_id,
    storeId: row.store_id,
    kind: row.kind,
    region: row.region,
    ...(row.route_group ? { routeGroup: row.route_group } : {}),
    skills: row.skills,
    priority: row.priority,
    ...(row.due_from ? { dueFrom: row.due_from } : {}),
    ...(row.due_until ? { dueUntil: row.due_until } : {}),
    ...(row.visit_from && row.visit_until ? { visit: { from: row.visit_from, until: row.visit_until } } : {}),
    status: row.status,
    ...(row.assignee_staff_id ? { assigneeStaffId: row.assignee_staff_id } : {}),
    ...(row.fencing_token !== null ? { fencingToken: row.fencing_token } : {}),
    ...(row.queued_reason !== null ? { queuedReason: row.queued_reason } : {}),
    createdAt: row.created_at,
    origin: { correlationId: row.correlation_id, causationId: row.causation_id, traceparent: row.traceparent },
    excludedStaffIds: row.excluded_staff_ids,
    reworkRound: row.rework_round,
    ...(row.assignment_id !== null ? { assignmentId: row.assignment_id } : {}),
    ...(row.acknowledge_by !== null ? { acknowledgeBy: row.acknowledge_by } : {}),
    ...(row.preferred_staff_id ? { preferredStaffId: row.preferred_staff_id } : {}),
    ...(row.held_since ? { heldSince: row.held_since } : {}),
    ...(row.hold_round > 0 ? { holdRound: row.hold_round } : {}),
    ...(row.origin === "after-sales" && row.case_id
      ? { afterSalesCase: { caseId: row.case_id, caseKind: row.case_kind ?? "", goods: row.goods.map((g) => ({ sku: g.sku, quantity: g.quantity })) } }
      : {}),
  };
}
