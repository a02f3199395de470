import { NotFoundError } from "@oms/errors";

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
  /** The stores the reader works at, as their token says. */
  stores?: readonly string[];
  /**
   * Said only of a reader whose token names the whole chain. No stores and no such word reaches no
   * store: a caller that forgot to say where the reader works must not make them the chain's desk.
   */
  chainWide?: boolean;
}

/** Whether the reader works where the task is: at one of their stores, or chain-wide when they name none. */
function worksAt(reader: TaskReader, storeId: string): boolean {
  if (reader.stores !== undefined && reader.stores.length > 0) return reader.stores.includes(storeId);
  return reader.chainWide === true;
}

/** The one answer for a task the caller may not know of: a task nobody created and another's read alike. */
export function taskNotFound(taskId: string): NotFoundError {
  return new NotFoundError("dispatch.task-not-found", `no task ${taskId}`);
}

/**
 * Who may read a task: its assignee, or the desk (ADR 022, twenty-seventh session, second reading), of
 * the task's store when held to stores. Anyone else is told the task does not exist, word for word as for
 * an id nobody created (twenty-eighth session): a refusal naming who may would tell them it does.
 */
export function assertMayReadTask(reader: TaskReader, task: { taskId: string; storeId: string; assigneeStaffId?: string }): void {
  const inTheirStores = worksAt(reader, task.storeId);
  const theirsOrTheDesks = taskDesk.has(reader.role) || (task.assigneeStaffId !== undefined && reader.id === task.assigneeStaffId);
  if (reader.kind === "staff" && inTheirStores && theirsOrTheDesks) return;
  throw taskNotFound(task.taskId);
}
