/**
 * Worklists: one person's tasks (what a rider or technician has to do) or a store's (what
 * the desk watches). Pure: which tasks a request asks for, and in which order, decided
 * from the request alone; the adapter reads them.
 */
import { ValidationError, type FieldError } from "@oms/errors";
import { activeTaskStatuses, type TaskStatus } from "./task.ts";

export const taskStatuses: readonly TaskStatus[] = ["pending", "assigned", "acknowledged", "in-progress", "reported", "done", "cancelled"];

/** What an empty status filter means: the tasks not yet ended. */
export const notEndedTaskStatuses: readonly TaskStatus[] = ["pending", ...activeTaskStatuses];

/**
 * A person's list is soonest due first (their appointment, else the acknowledgement
 * deadline, else when the task was created): what to do next is on top. A store's queue
 * is oldest first: what has waited longest is on top.
 */
export type WorklistOrder = "soonest-due" | "oldest-first";

export interface WorklistQuery {
  /** Set: only this person's tasks. */
  staffId?: string;
  /** Set: only this store's tasks. */
  storeId?: string;
  /** Never empty: a query that can match nothing is answered without reading. */
  statuses: TaskStatus[];
  order: WorklistOrder;
}

export interface WorklistRequest {
  staffId: string;
  storeId: string;
  statuses: readonly string[];
}

/** The order of the list a request asks for: a person's (with or without a store) or a store's. */
export function worklistOrderOf(request: Pick<WorklistRequest, "staffId">): WorklistOrder {
  return request.staffId ? "soonest-due" : "oldest-first";
}

/**
 * The query a worklist request asks for, or a ValidationError naming every wrong field, those
 * of its page (`pageRefusals`, checked by the caller) with them. Repeated statuses count once. A person's list leaves out `pending`: a pending task has
 * nobody (so asking a person's pending tasks is asking for nothing).
 */
export function worklistQueryOf(request: WorklistRequest, pageRefusals: readonly FieldError[] = []): WorklistQuery {
  const errors: FieldError[] = [];
  if (!request.staffId && !request.storeId) {
    errors.push({ field: "staffId", message: "or storeId is required" }, { field: "storeId", message: "or staffId is required" });
  }
  request.statuses.forEach((status, i) => {
    if (!taskStatuses.includes(status as TaskStatus)) errors.push({ field: `statuses[${i}]`, message: `must be one of ${taskStatuses.join(", ")}` });
  });
  errors.push(...pageRefusals);
  if (errors.length > 0) throw new ValidationError(errors);

  const asked = request.statuses.length > 0 ? taskStatuses.filter((s) => request.statuses.includes(s)) : [...notEndedTaskStatuses];
  return {
    ...(request.staffId ? { staffId: request.staffId } : {}),
    ...(request.storeId ? { storeId: request.storeId } : {}),
    statuses: request.staffId ? asked.filter((s) => s !== "pending") : asked,
    order: worklistOrderOf(request),
  };
}
