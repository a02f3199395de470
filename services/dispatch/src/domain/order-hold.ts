/**
 * An order held for force majeure pauses its tasks (ADR 027, addendum). Pure: no I/O, no
 * clock. While paused, nobody can act on the task (the roads are closed), so no clock runs
 * against anyone: the acknowledgement and step deadlines are called off, the task is not
 * (re)assigned and no miss is recorded. When the order leaves the hold, the clocks start
 * again from then, under timer keys of a new round.
 */

/**
 * Hold reasons that pause an order's tasks. Only force majeure: the other holds
 * (awaiting-stock, -credit, -customer, -payment) are the order's own business, come before
 * its task is requested or while its assignee can still act, and a missed acknowledgement
 * then is a real miss.
 */
export const pausingHoldReasons: ReadonlySet<string> = new Set(["force-majeure"]);

/** What an order's status change means for its tasks: paused, resumed, or nothing. */
export type HoldChange = "pause" | "resume";

export function holdChangeOf(change: { fromStatus: string; toStatus: string; holdReason: string }): HoldChange | undefined {
  if (change.toStatus === "on-hold" && pausingHoldReasons.has(change.holdReason)) return "pause";
  // Leaving a hold (to work, to another hold, to the carrier). A cancellation closes the tasks
  // on its own event, so their clocks are not started again just before.
  if (change.fromStatus === "on-hold" && change.toStatus !== "cancelled") return "resume";
  return undefined;
}

/** The n-th pause's restarted timers carry `~fm<n>`; before any pause a key is as it always was. */
export const roundSuffix = (round: number) => (round > 0 ? `~fm${round}` : "");

/** The acknowledgement deadline's timer of an assignment, in the task's current hold round. */
export const acknowledgeTimerKey = (assignmentId: string, round = 0) => `${assignmentId}${roundSuffix(round)}`;

/** The assignment an acknowledgement timer is about, from its key (older timers carry it only there). */
export const assignmentOfTimerKey = (key: string) => key.replace(/~fm\d+$/, "");

/** A task's time nodes: a visit's arrival and report, and the acknowledgement (listed once missed). */
export type TaskStep = "arrival" | "report" | "acknowledgement";

/** A step deadline still open when the task was paused. */
export interface OpenStep {
  step: TaskStep;
  dueAt: Date;
  /** 0 = not overdue yet; 1 = the assignee was warned and the escalation was to follow; 2 = escalated. */
  level: number;
}

export interface ResumePlan {
  /** A fresh acknowledgement deadline, for an assignment still waiting to be acknowledged. */
  acknowledgeBy?: Date;
  /** The timers to start again: a step not yet overdue gets its deadline back, a warned one its escalation. */
  steps: { step: Exclude<TaskStep, "acknowledgement">; level: 1 | 2; dueAt: Date }[];
}

/**
 * When a paused task's clocks run again. An unacknowledged assignment gets a whole new
 * window from now. A step not yet overdue gets back the time it had left when the task was
 * paused, from now (a deadline that had already passed is due at once); a step its assignee
 * was warned about is escalated a full escalation wait after now; an escalated one has no
 * timer left. The acknowledgement step (listed once missed) has no timer of its own.
 */
export function planResume(
  task: { status: string; assignmentId?: string; heldSince?: Date },
  openSteps: readonly OpenStep[],
  now: Date,
  windows: { acknowledgeWithinMs: number; escalateAfterMs: number },
): ResumePlan {
  const heldSince = task.heldSince ?? now;
  const plan: ResumePlan = { steps: [] };
  if (task.status === "assigned" && task.assignmentId) plan.acknowledgeBy = new Date(now.getTime() + windows.acknowledgeWithinMs);
  for (const open of openSteps) {
    if (open.step === "acknowledgement") continue;
    if (open.level === 0) plan.steps.push({ step: open.step, level: 1, dueAt: new Date(now.getTime() + Math.max(0, open.dueAt.getTime() - heldSince.getTime())) });
    else if (open.level === 1) plan.steps.push({ step: open.step, level: 2, dueAt: new Date(now.getTime() + windows.escalateAfterMs) });
  }
  return plan;
}
