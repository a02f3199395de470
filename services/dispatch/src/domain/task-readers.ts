import { ForbiddenError } from "@oms/errors";

/**
 * The desk that manages a store's tasks reads any of them: dispatchers assign and coordinate,
 * the store manager and supervisors oversee, and customer service moves a visit with the customer
 * (intake's reschedule-visit row) and follows an after-sales case's visit. Everyone else on the
 * staff reads only the task they hold: a task carries the customer's needs, the service records and
 * what was collected at the door, none of which a colleague working the next order needs.
 */
const taskDesk: ReadonlySet<string> = new Set(["dispatcher", "store-manager", "supervisor", "customer-service"]);

/** Who asks, as the gateway authenticated them. */
export interface TaskReader {
  kind: string;
  id: string;
  role: string;
}

/** Who may read a task: its assignee, or the desk (ADR 022, twenty-seventh session, second reading). */
export function assertMayReadTask(reader: TaskReader, task: { taskId: string; assigneeStaffId?: string }): void {
  if (reader.kind === "staff" && (taskDesk.has(reader.role) || (task.assigneeStaffId !== undefined && reader.id === task.assigneeStaffId))) return;
  const as = reader.kind === "staff" ? `staff with role ${reader.role}` : reader.kind;
  throw new ForbiddenError(
    "dispatch.task-not-yours",
    `only the task's assignee, a dispatcher, the store manager, a supervisor or a customer-service agent read task ${task.taskId}; the caller is ${as}`,
  );
}
