/**
 * Service windows: fixed slots (aligned to multiples of their length since the epoch, so
 * every instance cuts the same windows) in which customers book on-site visits. A
 * window's capacity is the number of people with the skill who are on shift, and not
 * absent, for the whole window: each does one visit per window. Pure.
 */
import { hasSkill, isAbsentDuring, isOnShiftThroughout, type Staff } from "./staff.ts";

export interface ServiceWindow {
  start: Date;
  end: Date;
}

export interface WindowLoad extends ServiceWindow {
  capacity: number;
  booked: number;
}

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

/** Each window with its capacity and bookings (`booked` keyed by the window's start in ms). */
export function loadOfWindows(windows: readonly ServiceWindow[], staff: readonly Staff[], skill: string, booked: ReadonlyMap<number, number>): WindowLoad[] {
  return windows.map((w) => ({ ...w, capacity: staff.filter((s) => servesWindow(s, skill, w)).length, booked: booked.get(w.start.getTime()) ?? 0 }));
}

export const hasRoom = (w: WindowLoad) => w.booked < w.capacity;
