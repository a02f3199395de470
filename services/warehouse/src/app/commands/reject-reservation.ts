import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import { ForbiddenError, NotFoundError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import type { Reservation } from "../../domain/reservation.ts";
import { assertRejectable } from "../../domain/store-rejection.ts";
import { staffActorOf } from "../caller.ts";
import { reserveReplacementsOnRise, skusToLockForRise } from "../replacements-on-restock.ts";
import { callOffStepDeadlines, type ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * The store manager turns down an order routing sent the store: its stock is released
 * (with who and why on the ledger), the rejection is recorded, and ReservationRejected
 * sends the order back to routing, which tries the stores that have not turned it down.
 * Its open time nodes are called off: the next store's clerks start their own. The units it
 * frees go first to the store's exchange replacements awaiting them (app/replacements-on-restock.ts).
 */
export async function rejectReservation(
  pool: pg.Pool,
  outbox: OutboxWriter,
  deadlines: ShipmentDeadlines,
  request: warehouseApi.RejectReservationRequest,
): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  if (actor.role !== "store-manager") throw new ForbiddenError("warehouse.rejection-by-manager", `the store manager turns a routed order down; the caller is ${actor.role}`);
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const seen = await reservationRepository.find(tx, request.reservationId, { lock: false });
      if (!seen) throw new NotFoundError("reservation.not-found", `no reservation ${request.reservationId}`);
      // Stock rows before the reservation row, as every step that moves stock (advance-reservation.ts).
      // With the SKUs of the replacements awaiting these, in the same statement: the units released may be theirs below.
      await stockRepository.lockForSkus(tx, seen.storeId, await skusToLockForRise(tx, seen.storeId, seen.lines.map((l) => l.sku)));
      const reservation = (await reservationRepository.find(tx, request.reservationId, { lock: true }))!;
      const reason = assertRejectable(reservation, await reservationRepository.isRouted(tx, reservation.reservationId), request.reason);
      const releaseReason = `turned down by ${reservation.storeId}: ${reason}`;
      await stockRepository.release(tx, reservation.storeId, reservation.lines, { orderId: reservation.orderId, reservationId: reservation.reservationId, reason: releaseReason, actor });
      await reservationRepository.markReleased(tx, reservation.reservationId, releaseReason);
      await callOffStepDeadlines(tx, reservation.reservationId, deadlines);
      await tx.query(
        `INSERT INTO reservation_rejections (reservation_id, order_id, store_id, reason, actor_kind, actor_id, actor_role) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [reservation.reservationId, reservation.orderId, reservation.storeId, reason, actor.kind, actor.id, actor.role],
      );
      const origin = { producer: "warehouse", orderId: reservation.orderId, storeId: reservation.storeId, actor, correlationId: request.correlationId };
      await outbox.append(tx, [newEvent(EventTypes.ReservationRejected, { reservationId: reservation.reservationId, reason }, origin)]);
      const rise = { storeId: reservation.storeId, skus: reservation.lines.map((l) => l.sku), actor, correlationId: request.correlationId, cause: releaseReason };
      await reserveReplacementsOnRise(tx, outbox, rise, deadlines);
      return { ...reservation, status: "released" as const };
    }),
  );
}
