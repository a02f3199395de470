import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { ConflictError, ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { bookingRepository, type WindowBooking } from "../../adapters/pg/booking-repository.ts";
import { hasRoom, windowStartingAt } from "../../domain/booking-windows.ts";
import { windowLoads } from "../queries/find-free-windows.ts";

export interface BookingDeps {
  pool: pg.Pool;
  clock: () => Date;
  bookingWindowMs: number;
}

/** How far ahead the next free windows are looked for when a window is full. */
const lookAheadMs = 7 * 24 * 3600_000;
const alternatives = 3;

/**
 * Books a service window for an order (booking again moves it). Bookings of a store and
 * skill are serialized, so a window never takes more visits than people on shift can do;
 * a full window is refused with the next free windows in the error.
 */
export async function bookWindow(deps: BookingDeps, request: dispatchApi.BookWindowRequest): Promise<dispatchApi.WindowBooking> {
  const errors: FieldError[] = [];
  for (const field of ["storeId", "skill", "orderId"] as const) if (!request[field]) errors.push({ field, message: "is required" });
  const start = new Date(request.windowStart);
  const window = Number.isNaN(start.getTime()) ? undefined : windowStartingAt(start, deps.bookingWindowMs);
  if (!window) errors.push({ field: "windowStart", message: `must be the start of a window (every ${deps.bookingWindowMs / 60_000} minutes)` });
  else if (window.start < deps.clock()) errors.push({ field: "windowStart", message: "is in the past" });
  if (errors.length > 0 || !window) throw new ValidationError(errors);

  const booking = await withTransaction(deps.pool, async (tx) => {
    await bookingRepository.lockStoreSkill(tx, request.storeId, request.skill);
    const existing = await bookingRepository.findByOrder(tx, request.orderId);
    if (existing && existing.windowStart.getTime() === window.start.getTime() && existing.skill === request.skill && existing.storeId === request.storeId) return existing;
    const [load] = await windowLoads(tx, request.storeId, request.skill, window.start, window.end, deps.bookingWindowMs);
    if (!load || !hasRoom(load)) {
      const next = (await windowLoads(tx, request.storeId, request.skill, window.end, new Date(window.end.getTime() + lookAheadMs), deps.bookingWindowMs))
        .filter(hasRoom)
        .slice(0, alternatives);
      throw new ConflictError(
        "dispatch.window-full",
        `the window ${window.start.toISOString()} has no room for ${request.skill} (capacity ${load?.capacity ?? 0}); next free windows: ${
          next.length > 0 ? next.map((w) => w.start.toISOString()).join(", ") : "none in the next 7 days"
        }`,
      );
    }
    const booked: WindowBooking = {
      bookingId: existing?.bookingId ?? randomUUID(),
      storeId: request.storeId,
      skill: request.skill,
      windowStart: window.start,
      windowEnd: window.end,
      orderId: request.orderId,
      bookedBy: request.caller ? `${request.caller.kind}:${request.caller.id}` : "",
      bookedAt: deps.clock(),
    };
    return bookingRepository.upsert(tx, booked);
  });
  return {
    bookingId: booking.bookingId,
    storeId: booking.storeId,
    skill: booking.skill,
    windowStart: booking.windowStart.toISOString(),
    windowEnd: booking.windowEnd.toISOString(),
    orderId: booking.orderId,
    bookedAt: booking.bookedAt.toISOString(),
  };
}
