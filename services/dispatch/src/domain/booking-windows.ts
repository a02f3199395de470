/**
 * Service windows: fixed slots (aligned to multiples of their length since the epoch, so
 * every instance cuts the same windows) in which customers book on-site visits. Each
 * person on shift, and not absent, for the whole window does one visit in it, whatever
 * skills they have: a window's capacity for a skill is what its people can still take
 * of it next to the visits of every skill already booked. Pure.
 */
import { hasSkill, isAbsentDuring, isOnShiftThroughout, type Staff } from "./staff.ts";

export interface ServiceWindow {
  start: Date;
  end: Date;
}

export interface WindowLoad extends ServiceWindow {
  /** Visits needing the skill the window can hold: those booked plus those that still find someone free. */
  capacity: number;
  /** Visits needing the skill booked in it. */
  booked: number;
}

/** A window's bookings: how many visits need each skill. */
export type BookedSkills = ReadonlyMap<string, number>;

/** The window that starts exactly at `start`, or undefined when `start` is not a window boundary. */
export function windowStartingAt(start: Date, lengthMs: number): ServiceWindow | undefined {
  if (start.getTime() % lengthMs !== 0) return undefined;
  return { start, end: new Date(start.getTime() + lengthMs) };
}

/** The windows that start in [from, until). */
export function windowsBetween(from: Date, until: Date, lengthMs: number): ServiceWindow[] {
  const windows: ServiceWindow[] = [];
  for (let t = Math.ceil(from.getTime() / lengthMs) * lengthMs; t < until.getTime(); t += lengthMs) {
    windows.push({ start: new Date(t), end: new Date(t + lengthMs) });
  }
  return windows;
}

/** Whether the person can serve the whole window. */
export function servesWindow(staff: Staff, skill: string, window: ServiceWindow): boolean {
  if (!staff.active || !hasSkill(staff, skill)) return false;
  return !isAbsentDuring(staff, window.start, window.end) && isOnShiftThroughout(staff, window.start, window.end);
}

/** Each window with its capacity and bookings for `skill` (`booked` holds every skill's bookings, keyed by the window's start in ms). */
export function loadOfWindows(windows: readonly ServiceWindow[], staff: readonly Staff[], skill: string, booked: ReadonlyMap<number, BookedSkills>): WindowLoad[] {
  return windows.map((w) => {
    const bookings = booked.get(w.start.getTime()) ?? new Map<string, number>();
    const ofSkill = bookings.get(skill) ?? 0;
    return { ...w, capacity: ofSkill + visitsStillFree(w, staff, bookings, skill), booked: ofSkill };
  });
}

/**
 * How many more visits needing `skill` the window takes once every booked visit has its own
 * person. Counting per skill would let one person with two skills be sold twice; counting
 * people once is not enough either (a cleaner-and-installer booked for cleaning may be the
 * only installer, while a plain cleaner is free). So visits are matched to people: each
 * new visit looks for someone free, or someone whose visit another free person can take
 * over (augmenting paths), which finds the largest number of visits the people can do.
 */
function visitsStillFree(window: ServiceWindow, staff: readonly Staff[], bookings: BookedSkills, skill: string): number {
  const servers = new Map<string, number[]>();
  const serversOf = (s: string) => {
    if (!servers.has(s)) servers.set(s, staff.flatMap((person, i) => (servesWindow(person, s, window) ? [i] : [])));
    return servers.get(s)!;
  };
  const visits: string[] = [];
  const visitOfPerson: (number | undefined)[] = staff.map(() => undefined);
  const place = (visit: number, tried: Set<number>): boolean => {
    for (const person of serversOf(visits[visit]!)) {
      if (tried.has(person)) continue;
      tried.add(person);
      const displaced = visitOfPerson[person];
      if (displaced === undefined || place(displaced, tried)) {
        visitOfPerson[person] = visit;
        return true;
      }
    }
    return false;
  };
  const add = (s: string) => place(visits.push(s) - 1, new Set());
  // A booked visit that finds nobody (someone went absent since) takes no one's place.
  for (const [bookedSkill, count] of bookings) for (let i = 0; i < count; i++) add(bookedSkill);
  // Each visit added takes a person of its own, so this ends by the number of people.
  let free = 0;
  while (add(skill)) free++;
  return free;
}

export const hasRoom = (w: WindowLoad) => w.booked < w.capacity;
