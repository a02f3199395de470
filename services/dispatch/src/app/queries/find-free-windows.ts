import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { hasRoom, loadOfWindows, windowsBetween, type WindowLoad } from "../../domain/booking-windows.ts";

const maxSpanMs = 31 * 24 * 3600_000;

/** The store's windows starting in [from, until), full ones too, with their capacity and bookings for the skill; `exceptOrderId`'s booking is left out (it is being moved). */
export async function windowLoads(db: pg.Pool | pg.ClientBase, storeId: string, skill: string, from: Date, until: Date, lengthMs: number, exceptOrderId = ""): Promise<WindowLoad[]> {
  const windows = windowsBetween(from, until, lengthMs);
  if (windows.length === 0) return [];
  const [staff, booked] = await Promise.all([
    staffRepository.activeOfStoreWithAbsences(db, storeId),
    bookingRepository.bookedPerWindow(db, storeId, windows[0]!.start, until, exceptOrderId),
  ]);
  return loadOfWindows(windows, staff, skill, booked);
}

export const windowView = (w: WindowLoad): dispatchApi.ServiceWindow => ({ start: w.start.toISOString(), end: w.end.toISOString(), capacity: w.capacity, booked: w.booked });

/** Windows of a store that still have room for a visit needing `skill`, from the staff on shift and the bookings so far. */
export async function findFreeWindows(pool: pg.Pool, request: dispatchApi.FindFreeWindowsRequest, lengthMs: number): Promise<dispatchApi.FindFreeWindowsResponse> {
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!request.skill) errors.push({ field: "skill", message: "is required" });
  const from = new Date(request.from);
  const until = new Date(request.until);
  if (Number.isNaN(from.getTime())) errors.push({ field: "from", message: "is not an ISO 8601 time" });
  if (Number.isNaN(until.getTime())) errors.push({ field: "until", message: "is not an ISO 8601 time" });
  else if (until <= from) errors.push({ field: "until", message: "must be after from" });
  else if (until.getTime() - from.getTime() > maxSpanMs) errors.push({ field: "until", message: "must be at most 31 days after from" });
  if (errors.length > 0) throw new ValidationError(errors);
  const loads = await windowLoads(pool, request.storeId, request.skill, from, until, lengthMs);
  return { windows: loads.filter(hasRoom).map(windowView) };
}
