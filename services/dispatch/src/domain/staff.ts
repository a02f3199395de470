/**
 * The people dispatch assigns work to. Pure: the current time comes in as an argument.
 */

export interface SkillLevel {
  skill: string;
  /** 1 = trained, higher = more experienced; 0 or less counts as not having the skill. */
  level: number;
}

/** A weekly shift in the staff member's local time. `end` may be "24:00"; an `end` before `start` runs past midnight. */
export interface Shift {
  start: string;
  end: string;
  /** ISO weekdays the shift starts on: 1 = Monday ... 7 = Sunday. */
  days: number[];
}

export interface Staff {
  staffId: string;
  storeId: string;
  name: string;
  roles: string[];
  skills: SkillLevel[];
  regions: string[];
  /** How many active (assigned or acknowledged) tasks the person may hold at once. */
  capacity: number;
  shift: Shift;
  /** IANA time zone the shift is read in, e.g. "Asia/Shanghai". */
  timezone: string;
  active: boolean;
  /** The team the person works in ("" = none); KPIs are also reported per team. */
  teamId?: string;
  /** Known absences (leave, sickness, days off) that have not ended yet. */
  absences?: Absence[];
}

/** The person is away from `from` (inclusive) until `until` (exclusive). */
export interface Absence {
  from: Date;
  until: Date;
  reason: string;
}

/** A staff member with the number of active tasks they hold right now. */
export interface StaffWorkload {
  staff: Staff;
  activeTasks: number;
  /** Tasks given to them since the start of the day (UTC): spreads a day's work when loads are equal. */
  assignedToday?: number;
  /** The visits (appointments or booked windows) of the service tasks they hold: nobody is in two places at once. */
  visits?: { from: Date; until: Date }[];
  /** Open deliveries they hold, per route group: a rider on a route takes the route's next delivery. */
  deliveriesByRoute?: Readonly<Record<string, number>>;
}

export function isAbsent(staff: Pick<Staff, "absences">, now: Date): boolean {
  const t = now.getTime();
  return (staff.absences ?? []).some((a) => a.from.getTime() <= t && t < a.until.getTime());
}

/** Present to work now: on shift and not absent. */
export function isAvailable(staff: Pick<Staff, "shift" | "timezone" | "absences">, now: Date): boolean {
  return isOnShift(staff, now) && !isAbsent(staff, now);
}

/** How finely a stretch of time is checked against shifts (shift times are whole minutes, usually quarter hours). */
export const shiftProbeMs = 15 * 60_000;
/** Stretches longer than this are only checked this far (a window of weeks says nothing about who is on shift). */
const longestProbedMs = 7 * 24 * 3600_000;

/** The moments of [from, until) a stretch is checked at: its start, then every quarter hour. */
export function probesOf(from: Date, until: Date): Date[] {
  const end = Math.min(until.getTime(), from.getTime() + longestProbedMs);
  const probes: Date[] = [];
  for (let t = from.getTime(); t < end; t += shiftProbeMs) probes.push(new Date(t));
  return probes.length > 0 ? probes : [from];
}

/** Whether the person is away at any moment of [from, until). */
export function isAbsentDuring(staff: Pick<Staff, "absences">, from: Date, until: Date): boolean {
  return (staff.absences ?? []).some((a) => a.from < until && a.until > from);
}

/** On shift for the whole of [from, until): at every probe and in its last minute. */
export function isOnShiftThroughout(staff: Pick<Staff, "shift" | "timezone">, from: Date, until: Date): boolean {
  if (!probesOf(from, until).every((t) => isOnShift(staff, t))) return false;
  return isOnShift(staff, new Date(Math.max(from.getTime(), until.getTime() - 60_000)));
}

/** On shift at some moment of [from, until); with `present`, also not absent then. */
export function isOnShiftSometimeIn(staff: Pick<Staff, "shift" | "timezone" | "absences">, from: Date, until: Date, present = false): boolean {
  return probesOf(from, until).some((t) => isOnShift(staff, t) && !(present && isAbsent(staff, t)));
}

const MINUTES_PER_DAY = 24 * 60;

/** "HH:MM" (00:00 to 24:00) as minutes after midnight, or undefined when it is not such a time. */
export function minutesOfClockTime(value: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > MINUTES_PER_DAY) return undefined;
  return minutes;
}

export function hasSkill(staff: Staff, skill: string): boolean {
  return staff.skills.some((s) => s.skill === skill && s.level > 0);
}

/** Whether `now` falls inside the staff member's shift, read in their own time zone. */
export function isOnShift(staff: Pick<Staff, "shift" | "timezone">, now: Date): boolean {
  const start = minutesOfClockTime(staff.shift.start);
  const end = minutesOfClockTime(staff.shift.end);
  if (start === undefined || end === undefined || start === end) return false;
  const { weekday, minute } = localTimeOf(now, staff.timezone);
  const startsOn = (day: number) => staff.shift.days.includes(day);
  if (start < end) return startsOn(weekday) && minute >= start && minute < end;
  // Overnight: the evening part belongs to today's shift, the early hours to yesterday's.
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return (startsOn(weekday) && minute >= start) || (startsOn(yesterday) && minute < end);
}

const isoWeekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The ISO weekday and minute of the day of an instant in a time zone. */
export function localTimeOf(now: Date, timezone: string): { weekday: number; minute: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return { weekday: isoWeekdays[parts.weekday ?? ""] ?? 0, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Whether a time zone name is one this runtime knows. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The candidates' workloads once `staffId` holds the task as well: one more active task and
 * one more today, its route counted for a delivery, its visit for a service task. What the
 * workload queries would read after the assignment is written, so that an assignment pass
 * deciding several tasks of a store in one transaction reads the workloads once.
 */
export function withTaskAssigned(
  candidates: readonly StaffWorkload[],
  staffId: string,
  task: { kind: string; routeGroup?: string | undefined; visit?: { from: Date; until: Date } | undefined },
): StaffWorkload[] {
  return candidates.map((candidate) => {
    if (candidate.staff.staffId !== staffId) return candidate;
    const route = task.kind === "delivery" ? task.routeGroup : undefined;
    return {
      ...candidate,
      activeTasks: candidate.activeTasks + 1,
      assignedToday: (candidate.assignedToday ?? 0) + 1,
      visits: task.kind === "service" && task.visit ? [...(candidate.visits ?? []), task.visit] : candidate.visits,
      deliveriesByRoute: route ? { ...candidate.deliveriesByRoute, [route]: (candidate.deliveriesByRoute?.[route] ?? 0) + 1 } : candidate.deliveriesByRoute,
    };
  });
}
