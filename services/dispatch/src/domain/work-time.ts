/**
 * When a task is to be done, as far as who can do it goes: whether someone is on shift,
 * absent or busy is judged at that time, not at the moment the engine happens to run.
 * Pure: the current time comes in as an argument.
 */
import { isAbsent, isAbsentDuring, isOnShift, isOnShiftSometimeIn, isOnShiftThroughout, probesOf, type Staff } from "./staff.ts";

export interface TimeSpan {
  from: Date;
  until: Date;
}

/**
 * - `now`: due immediately (no due time, or its time has come): judged at the current time;
 * - `window`: a requested delivery or service window ahead: the person must be there at some moment of it;
 * - `visit`: a service visit with a booked window or an agreed appointment: the person serves it whole.
 */
export type WorkTime = { kind: "now"; at: Date } | ({ kind: "window" } & TimeSpan) | ({ kind: "visit" } & TimeSpan);

export interface TimedTask {
  dueFrom?: Date | undefined;
  dueUntil?: Date | undefined;
  /** A service task's visit: its agreed appointment, else its booked window. */
  visit?: TimeSpan | undefined;
}

/** The time a task's availability checks use; the current time only for tasks due immediately. */
export function workTimeOf(task: TimedTask, now: Date): WorkTime {
  if (task.visit && task.visit.until > now) {
    // A visit under way is served from now to its end.
    return { kind: "visit", from: task.visit.from > now ? task.visit.from : now, until: task.visit.until };
  }
  if (task.dueFrom && task.dueFrom > now) {
    const until = task.dueUntil && task.dueUntil > task.dueFrom ? task.dueUntil : new Date(task.dueFrom.getTime() + 1);
    return { kind: "window", from: task.dueFrom, until };
  }
  return { kind: "now", at: now };
}

/** The stretch a work time covers (an instant for `now`). */
export function spanOf(time: WorkTime): TimeSpan {
  return time.kind === "now" ? { from: time.at, until: new Date(time.at.getTime() + 1) } : { from: time.from, until: time.until };
}

/** On shift when the work is to be done (absences aside). */
export function isOnShiftFor(staff: Pick<Staff, "shift" | "timezone" | "absences">, time: WorkTime): boolean {
  switch (time.kind) {
    case "now":
      return isOnShift(staff, time.at);
    case "window":
      return isOnShiftSometimeIn(staff, time.from, time.until);
    case "visit":
      return isOnShiftThroughout(staff, time.from, time.until);
  }
}

/** Present (on shift and not absent) when the work is to be done. */
export function isAvailableFor(staff: Pick<Staff, "shift" | "timezone" | "absences">, time: WorkTime): boolean {
  switch (time.kind) {
    case "now":
      return isOnShift(staff, time.at) && !isAbsent(staff, time.at);
    case "window":
      return isOnShiftSometimeIn(staff, time.from, time.until, true);
    case "visit":
      return isOnShiftThroughout(staff, time.from, time.until) && !isAbsentDuring(staff, time.from, time.until);
  }
}

/** Why a person who holds a task can no longer do it at its time, or undefined when they can. */
export function unavailabilityFor(staff: Pick<Staff, "active" | "shift" | "timezone" | "absences">, time: WorkTime): "inactive" | "absent" | "off-shift" | undefined {
  if (!staff.active) return "inactive";
  if (isAvailableFor(staff, time)) return undefined;
  const span = spanOf(time);
  return isAbsentDuring(staff, span.from, span.until) ? "absent" : "off-shift";
}

/** Whether two stretches of time overlap (touching ends do not). */
export const overlaps = (a: TimeSpan, b: TimeSpan) => a.from < b.until && b.from < a.until;

/** " between <from> and <until>" for a time ahead, "" for now: to say when in a queueing reason. */
export function describeWorkTime(time: WorkTime): string {
  return time.kind === "now" ? "" : ` between ${time.from.toISOString()} and ${time.until.toISOString()}`;
}

/**
 * When an assignee's acknowledgement clock starts: now if they are at work now; for work
 * ahead given to someone off duty now, the first moment they are at work before it ends
 * (nobody can be expected to answer while off shift). Falls back to now.
 */
export function acknowledgementClockStart(staff: Pick<Staff, "shift" | "timezone" | "absences">, time: WorkTime, now: Date): Date {
  if (time.kind === "now" || (isOnShift(staff, now) && !isAbsent(staff, now))) return now;
  const first = probesOf(now, time.until).find((t) => isOnShift(staff, t) && !isAbsent(staff, t));
  return first ?? now;
}
