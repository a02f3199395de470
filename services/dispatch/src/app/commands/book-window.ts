import { randomUUID } from "node:crypto";
import type pg from "pg";
import { systemActor, type Actor, type dispatchApi } from "@oms/contracts";
import { ConflictError, IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { bookingRepository, type WindowBooking } from "../../adapters/pg/booking-repository.ts";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { Task } from "../../domain/task.ts";
import { keepOrReplaceVisitAssignee } from "./keep-or-replace-visit-assignee.ts";
import type { ReleaseDeps } from "./release-assignment.ts";
import { hasRoom, windowStartingAt } from "../../domain/booking-windows.ts";
import { bookingView } from "../queries/booking-view.ts";
import { windowLoads } from "../queries/find-free-windows.ts";

export interface BookingDeps extends ReleaseDeps {
  pool: pg.Pool;
  clock: () => Date;
  bookingWindowMs: number;
}

const actorKinds = ["staff", "customer", "platform"];

/** How far ahead the next free windows are looked for when a window is full. */
const lookAheadMs = 7 * 24 * 3600_000;
const alternatives = 3;

/**
 * Books a service window for an order (booking again moves it). Bookings into a store's
 * window are serialized whatever their skill, and counted against its people each once,
 * so a window never takes more visits than the people on shift can do; a full window is
 * refused with the next free windows in the error. The order's service
 * task is then due in the window: its holder keeps it if they can serve all of it without
 * another visit then, else it goes back to the engine, which only gives it to someone who
 * can; the booking records who.
 */
export async function bookWindow(deps: BookingDeps, request: dispatchApi.BookWindowRequest, correlationId = ""): Promise<dispatchApi.WindowBooking> {
  const errors: FieldError[] = [];
  for (const field of ["storeId", "skill", "orderId"] as const) if (!request[field]) errors.push({ field, message: "is required" });
  const start = new Date(request.windowStart);
  const window = Number.isNaN(start.getTime()) ? undefined : windowStartingAt(start, deps.bookingWindowMs);
  if (!window) errors.push({ field: "windowStart", message: `must be the start of a window (every ${deps.bookingWindowMs / 60_000} minutes)` });
  else if (window.start < deps.clock()) errors.push({ field: "windowStart", message: "is in the past" });
  if (errors.length > 0 || !window) throw new ValidationError(errors);

  const booking = await withTransaction(deps.pool, async (tx) => {
    await bookingRepository.lockStoreWindow(tx, request.storeId, window.start);
    await bookingRepository.lockOrders(tx, [request.orderId]);
    if (await bookingRepository.isCancelled(tx, request.orderId)) {
      throw new IllegalStateError("dispatch.order-cancelled", `order ${request.orderId} was cancelled: it has no visit to book`);
    }
    // The task row before the booking's, as the engine takes them.
    const [task] = (await taskRepository.lockOpenOfOrders(tx, [request.orderId])).filter((t) => t.kind === "service");
    const existing = await bookingRepository.findByOrder(tx, request.orderId);
    if (existing && existing.windowStart.getTime() === window.start.getTime() && existing.skill === request.skill && existing.storeId === request.storeId) return existing;
    const [load] = await windowLoads(tx, request.storeId, request.skill, window.start, window.end, deps.bookingWindowMs, request.orderId);
    if (!load || !hasRoom(load)) {
      const next = (await windowLoads(tx, request.storeId, request.skill, window.end, new Date(window.end.getTime() + lookAheadMs), deps.bookingWindowMs, request.orderId))
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
    const saved = await bookingRepository.upsert(tx, booked);
    if (!task) return saved;
    await tieToAssignee(tx, deps, task, saved, request.caller, correlationId);
    return (await bookingRepository.findByOrder(tx, saved.orderId)) ?? saved;
  });
  return bookingView(booking);
}

/**
 * The booked order's task, in the booking's transaction: held by someone who can do the
 * window (no appointment agreed yet), it stays theirs and the booking says so; otherwise it
 * is withdrawn for the engine; a pending one is tried again at once for the new time.
 */
async function tieToAssignee(
  tx: pg.ClientBase,
  deps: BookingDeps,
  task: Task,
  booking: WindowBooking,
  caller: dispatchApi.Caller | undefined,
  correlationId: string,
): Promise<void> {
  const visit = (await taskRepository.findById(tx, task.taskId))?.visit ?? { from: booking.windowStart, until: booking.windowEnd };
  const actor: Actor = caller?.id && actorKinds.includes(caller.kind) ? { kind: caller.kind as Actor["kind"], id: caller.id, role: caller.role || caller.kind } : systemActor("dispatch");
  // The booking's request is the cause of a withdrawal it forces: its events carry the request's id.
  const after = await keepOrReplaceVisitAssignee(tx, deps, { ...task, visit }, deps.clock(), actor, correlationId || undefined);
  if (after.assigneeStaffId) await bookingRepository.assignTo(tx, booking.orderId, after.assigneeStaffId);
  else if ((await taskRepository.retryQueuedOfStores(tx, [task.storeId])) > 0) await signalPendingTasks(tx, deps.schema);
}
