/**
 * A dispatch task: one piece of work (a delivery, an on-site service, a counter handover)
 * that needs exactly one person. Pure: no I/O, no clock; time and ids come in commands.
 *
 * A task is requested, then assigned or queued. The assignee acknowledges it by a
 * deadline; a decline, a missed deadline or the assignee going away before acknowledging
 * releases the assignment: the task is pending again, without that person, and the
 * engine assigns it anew under a newer fencing token. It is closed when its order is
 * delivered or cancelled.
 */
import { ForbiddenError, IllegalStateError } from "@oms/errors";
import { chooseAssignee } from "./assignee-choice.ts";
import type { StaffWorkload } from "./staff.ts";
import { acknowledgementClockStart, workTimeOf, type TimeSpan } from "./work-time.ts";

export const taskKinds = ["delivery", "service", "pickup-handover"] as const;
export type TaskKind = (typeof taskKinds)[number];

/** `in-progress` and `reported` are a service task's time on site and its wait for the customer's acceptance. */
export type TaskStatus = "pending" | "assigned" | "acknowledged" | "in-progress" | "reported" | "done" | "cancelled";

/** Statuses in which a task counts against its assignee's capacity (a reported service may still come back for rework). */
export const activeTaskStatuses: readonly TaskStatus[] = ["assigned", "acknowledged", "in-progress", "reported"];

/** Where the request came from, so the events dispatch emits later stay in the same chain. */
export interface TaskOrigin {
  correlationId: string;
  /** The id of the AssignmentRequested event. */
  causationId: string;
  traceparent: string;
}

export interface Task {
  taskId: string;
  orderId: string;
  storeId: string;
  kind: TaskKind;
  region: string;
  /** Deliveries: the route group of the order ("route:<region>", as fulfillment classifies it); "" otherwise. */
  routeGroup?: string;
  skills: string[];
  /** Higher goes first. */
  priority: number;
  dueFrom?: Date;
  dueUntil?: Date;
  /** A service task's visit: its agreed appointment, else the window booked for its order; it is served whole. */
  visit?: TimeSpan;
  status: TaskStatus;
  assigneeStaffId?: string;
  /** Token of the lock under which the current assignment was written. */
  fencingToken?: number;
  /** Why nobody could take the task, once it was queued. */
  queuedReason?: string;
  /** The current assignment (assigned or acknowledged) and its acknowledgement deadline. */
  assignmentId?: string;
  acknowledgeBy?: Date;
  /** People who declined, missed or were withdrawn from this task: it is not offered to them again. */
  excludedStaffIds: string[];
  /** Service tasks: 0 before any rework, one more each time the customer refuses the service. */
  reworkRound?: number;
  createdAt: Date;
  origin: TaskOrigin;
  /** Whom the requester named (an after-sales case's handler): offered the task before the store's pinned person, when eligible. */
  preferredStaffId?: string;
  /** An after-sales visit (ADR 025): the case it is for, not its order's own work. Absent for an order's task. */
  afterSalesCase?: AfterSalesCaseOfTask;
  /** Its order is held for force majeure since then (order-hold.ts): nobody is given it and no clock runs. */
  heldSince?: Date;
  /** How many times it was paused: timers restarted after the n-th pause are keyed `~fm<n>`. 0 or absent: never. */
  holdRound?: number;
}

/** The case an after-sales visit is for: its kind and the goods it names. */
export interface AfterSalesCaseOfTask {
  caseId: string;
  caseKind: string;
  goods: { sku: string; quantity: number }[];
}

export type NewTask = Omit<Task, "status" | "assigneeStaffId" | "fencingToken" | "queuedReason" | "assignmentId" | "acknowledgeBy" | "excludedStaffIds" | "heldSince" | "holdRound">;

/**
 * The route group a task is delivered on: fulfillment classifies every order with a region
 * under "route:<region>" (the assignment request carries the region), and only deliveries
 * travel a route.
 */
export function routeGroupOf(kind: TaskKind, region: string): string {
  return kind === "delivery" && region.trim() ? `route:${region.trim()}` : "";
}

export function pendingTask(task: NewTask): Task {
  return { ...task, status: "pending", excludedStaffIds: [] };
}

/** Give the task to the best eligible person; the candidates' workloads are read under lock. */
export interface AssignTask {
  type: "AssignTask";
  candidates: StaffWorkload[];
  now: Date;
  fencingToken: number;
  assignmentId: string;
  acknowledgeWithinMs: number;
  /** The store's pinned person, offered the task first whenever eligible (after the person the task's requester named). */
  preferredStaffId?: string;
}

/** How an order's end reaches its tasks. */
export type OrderEnd = "delivered" | "cancelled";

/** The task's order ended: the work in someone's hands is done on delivery; everything else is called off. */
export interface CloseTask {
  type: "CloseTask";
  end: OrderEnd;
}

/** The assignee takes the task. */
export interface AcknowledgeAssignment {
  type: "AcknowledgeAssignment";
  staffId: string;
  now: Date;
}

/** Why an assignment ends before being acknowledged, and the task goes back to the queue. */
export type ReleaseCause = "declined" | "missed" | "withdrawn";

/**
 * The current assignment ends unacknowledged: the assignee declined (`staffId` is the
 * caller), missed the deadline of `assignmentId` (the timer), or went absent or off shift.
 */
export interface ReleaseAssignment {
  type: "ReleaseAssignment";
  cause: ReleaseCause;
  /** The assignment the release is about; a release of an older one is a no-op. */
  assignmentId?: string;
  /** For a decline: who asks (must be the assignee). */
  staffId?: string;
  reason: string;
  now: Date;
  /** A visit moved to a time its assignee cannot do is taken back even though they acknowledged it. */
  includingAcknowledged?: boolean;
}

export type TaskCommand = AssignTask | CloseTask | AcknowledgeAssignment | ReleaseAssignment;

export interface TaskAssigned {
  type: "TaskAssigned";
  assignmentId: string;
  staffId: string;
  fencingToken: number;
  assignedAt: Date;
  acknowledgeBy: Date;
  /** The assignee's active tasks before this one, to check the workload counters against. */
  activeTasksBefore: number;
}

export interface TaskQueued {
  type: "TaskQueued";
  reason: string;
  /** Only the first time a task is queued is it announced; later attempts stay quiet. */
  firstTime: boolean;
}

export interface TaskClosed {
  type: "TaskClosed";
  status: "done" | "cancelled";
  /** Whose capacity this frees, when someone held the task. */
  releasedStaffId?: string;
}

export interface AssignmentAcknowledged {
  type: "AssignmentAcknowledged";
  assignmentId: string;
  staffId: string;
  acknowledgedAt: Date;
}

export interface AssignmentReleased {
  type: "AssignmentReleased";
  cause: ReleaseCause;
  assignmentId: string;
  staffId: string;
  reason: string;
  acknowledgeBy: Date;
  releasedAt: Date;
}

export type TaskEvent = TaskAssigned | TaskQueued | TaskClosed | AssignmentAcknowledged | AssignmentReleased;

export class TaskRuleViolation extends Error {
  override readonly name = "TaskRuleViolation";
}

export function decide(command: TaskCommand, task: Task): TaskEvent[] {
  switch (command.type) {
    case "AssignTask": {
      // Already taken (by another instance, or a redelivery): nothing to do. A paused task
      // waits for its order to leave the hold: an assignment would start a clock nobody can meet.
      if (task.status !== "pending" || task.heldSince) return [];
      if (command.acknowledgeWithinMs <= 0) throw new TaskRuleViolation("the acknowledgement window must be positive");
      // The person the requester named comes first; when they cannot take it, fair assignment as for any task.
      const choice = chooseAssignee(task, command.candidates, command.now, preferenceOrder(task, command));
      if (choice.kind === "none") return [{ type: "TaskQueued", reason: choice.reason, firstTime: task.queuedReason === undefined }];
      const assignee = command.candidates.find((c) => c.staff.staffId === choice.staffId)!.staff;
      const clockStart = acknowledgementClockStart(assignee, workTimeOf(task, command.now), command.now);
      return [
        {
          type: "TaskAssigned",
          assignmentId: command.assignmentId,
          staffId: choice.staffId,
          fencingToken: command.fencingToken,
          assignedAt: command.now,
          acknowledgeBy: new Date(clockStart.getTime() + command.acknowledgeWithinMs),
          activeTasksBefore: choice.activeTasks,
        },
      ];
    }
    case "CloseTask": {
      if (task.status === "done" || task.status === "cancelled") return [];
      const held = activeTaskStatuses.includes(task.status);
      return [
        {
          type: "TaskClosed",
          status: held && command.end === "delivered" ? "done" : "cancelled",
          ...(held && task.assigneeStaffId ? { releasedStaffId: task.assigneeStaffId } : {}),
        },
      ];
    }
    case "AcknowledgeAssignment": {
      if (task.assigneeStaffId !== command.staffId) {
        throw new ForbiddenError("dispatch.not-the-assignee", `task ${task.taskId} is not assigned to ${command.staffId}`);
      }
      if (task.status === "acknowledged") return [];
      if (task.status !== "assigned" || !task.assignmentId) {
        throw new IllegalStateError("dispatch.task-not-assigned", `task ${task.taskId} is ${task.status}, not waiting for acknowledgement`);
      }
      return [{ type: "AssignmentAcknowledged", assignmentId: task.assignmentId, staffId: command.staffId, acknowledgedAt: command.now }];
    }
    case "ReleaseAssignment":
      return decideRelease(command, task);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${String((unknown as TaskCommand).type)}`);
    }
  }
}

/**
 * Whom to offer the task first, in order: the person its requester named, then the store's
 * pinned person. Whoever declined, missed or was withdrawn from it is not eligible anyway.
 */
function preferenceOrder(task: Task, command: AssignTask): string[] {
  return [task.preferredStaffId, command.preferredStaffId].filter((id): id is string => !!id);
}

function decideRelease(command: ReleaseAssignment, task: Task): TaskEvent[] {
  if (command.cause === "declined") {
    if (task.assigneeStaffId !== command.staffId) {
      throw new ForbiddenError("dispatch.not-the-assignee", `task ${task.taskId} is not assigned to ${command.staffId ?? "(nobody)"}`);
    }
    if (task.status !== "assigned") {
      throw new IllegalStateError("dispatch.task-not-declinable", `task ${task.taskId} is ${task.status}: only an unacknowledged assignment can be declined`);
    }
  }
  // A deadline or a withdrawal that comes after the task moved on (acknowledged, reassigned, closed) changes nothing.
  const releasable: readonly TaskStatus[] = command.includingAcknowledged ? ["assigned", "acknowledged", "in-progress"] : ["assigned"];
  if (!releasable.includes(task.status) || !task.assignmentId || !task.assigneeStaffId || !task.acknowledgeBy) return [];
  if (command.assignmentId !== undefined && command.assignmentId !== task.assignmentId) return [];
  return [
    {
      type: "AssignmentReleased",
      cause: command.cause,
      assignmentId: task.assignmentId,
      staffId: task.assigneeStaffId,
      reason: command.reason,
      acknowledgeBy: task.acknowledgeBy,
      releasedAt: command.now,
    },
  ];
}

export function evolve(task: Task, event: TaskEvent): Task {
  switch (event.type) {
    case "TaskAssigned":
      return {
        ...task,
        status: "assigned",
        assigneeStaffId: event.staffId,
        fencingToken: event.fencingToken,
        assignmentId: event.assignmentId,
        acknowledgeBy: event.acknowledgeBy,
      };
    case "AssignmentAcknowledged":
      return { ...task, status: "acknowledged" };
    case "AssignmentReleased": {
      // Back to the queue, keeping the fencing token: only a newer lock holder may assign it.
      const { assigneeStaffId: _assignee, assignmentId: _assignment, acknowledgeBy: _deadline, queuedReason: _reason, ...rest } = task;
      return { ...rest, status: "pending", excludedStaffIds: [...new Set([...task.excludedStaffIds, event.staffId])] };
    }
    case "TaskQueued":
      return { ...task, queuedReason: task.queuedReason ?? event.reason };
    case "TaskClosed":
      return { ...task, status: event.status };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as TaskEvent).type)}`);
    }
  }
}
