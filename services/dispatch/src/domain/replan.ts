import type { Staff } from "./staff.ts";
import { routeGroupOf, type Task } from "./task.ts";
import { unavailabilityFor, workTimeOf } from "./work-time.ts";

/**
 * An open task's plan changed upstream (fulfillment's AssignmentReplanRequested): a
 * corrected address moves it to another region, a corrected time to another window, or
 * routing moves the order to another store after a store turned it down. The task takes
 * the new plan; its assignee keeps it only if they can still do it — same store, a region
 * they serve, available at the new time — else the assignment is withdrawn and the engine
 * gives it to someone who can. A confirmed appointment is left as agreed (moving it is a
 * reschedule, with the customer); only the window the visit must fall in changes.
 */
export interface Replan {
  region: string;
  dueFrom: Date | undefined;
  dueUntil: Date | undefined;
  /** Empty: the task stays in its store. */
  storeId: string;
  reason: string;
}

export type ReplanDecision =
  | { kind: "nothing"; why: string }
  | { kind: "replanned"; task: Task; withdraw: string | undefined };

const finished = new Set(["done", "cancelled"]);

export function replanTask(task: Task, replan: Replan, assignee: Staff | undefined, now: Date): ReplanDecision {
  if (finished.has(task.status)) return { kind: "nothing", why: `task is ${task.status}` };
  const storeId = replan.storeId || task.storeId;
  const region = replan.region || task.region;
  const next: Task = {
    ...task,
    storeId,
    region,
    routeGroup: routeGroupOf(task.kind, region),
    dueFrom: replan.dueFrom ?? task.dueFrom,
    dueUntil: replan.dueUntil ?? task.dueUntil,
  };
  if (!task.assigneeStaffId) return { kind: "replanned", task: next, withdraw: undefined };
  return { kind: "replanned", task: next, withdraw: whyAssigneeCannot(next, assignee, replan.reason, now) };
}

function whyAssigneeCannot(task: Task, assignee: Staff | undefined, reason: string, now: Date): string | undefined {
  const because = (why: string) => `re-planned (${reason}): ${why}`;
  if (!assignee) return because("the assignee is no longer on the staff");
  if (assignee.storeId !== task.storeId) return because(`the order moved to ${task.storeId}`);
  // A pick-up is handed over at the counter: the customer's region does not matter.
  if (task.kind !== "pickup-handover" && task.region && !assignee.regions.includes(task.region)) return because(`${assignee.staffId} does not serve ${task.region}`);
  const unavailable = unavailabilityFor(assignee, workTimeOf(task, now));
  return unavailable ? because(`${assignee.staffId} is ${unavailable} then`) : undefined;
}
