import type pg from "pg";
import { EventTypes, newEvent, originFrom, type OrderEventOf } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { decide, evolve } from "../../domain/reservation.ts";
import type { ReservationBatch } from "../reservation-batch.ts";
import { reserveReplacementsOnRise } from "../replacements-on-restock.ts";
import { callOffStepDeadlines, type ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * Fulfillment gives a reservation back (order cancelled): its units become available again,
 * at the store holding it, and its open time nodes are called off with their timers. The
 * store's exchange replacements awaiting those SKUs are reserved from them first
 * (app/replacements-on-restock.ts; the batch locked their stock rows up front with the
 * release's, ports/consumers/fulfillment-requests.ts).
 */
export async function releaseStock(
  tx: pg.ClientBase,
  outbox: EventAppender,
  request: OrderEventOf<typeof EventTypes.StockReleaseRequested>,
  logger: Logger,
  batch: ReservationBatch,
  deadlines: ShipmentDeadlines,
): Promise<void> {
  const { payload } = request;
  // Stock rows before the reservation row, as every step that moves stock (advance-reservation.ts).
  const seen = await reservationRepository.find(tx, payload.reservationId, { lock: false });
  if (seen && seen.status !== "released") await stockRepository.lockForSkus(tx, seen.storeId, seen.lines.map((l) => l.sku));
  const existing = seen && (await reservationRepository.find(tx, payload.reservationId, { lock: true }));
  const events = decide(
    { type: "ReleaseReservation", reservationId: payload.reservationId, orderId: request.orderId, storeId: request.storeId, reason: payload.reason },
    existing,
  );
  if (events.length === 0) {
    logger.info({ reservationId: payload.reservationId }, "reservation released already; request ignored");
    return;
  }
  for (const event of events) {
    if (event.type !== "StockReleased") throw new Error(`a release request never leads to ${event.type}`);
    const released = evolve(existing, event)!;
    if (existing) {
      await stockRepository.release(tx, released.storeId, event.lines, {
        orderId: released.orderId,
        reservationId: released.reservationId,
        reason: event.reason,
        actor: request.actor,
      });
      await reservationRepository.markReleased(tx, released.reservationId, event.reason);
      await callOffStepDeadlines(tx, released.reservationId, deadlines);
      const rise = { storeId: released.storeId, skus: event.lines.map((l) => l.sku), actor: request.actor, correlationId: request.correlationId, cause: `reservation ${released.reservationId} released` };
      await reserveReplacementsOnRise(tx, outbox, rise, deadlines);
      batch.stockReturned();
    } else {
      // Remembered, so a late request for the same reservation cannot take stock for a cancelled order.
      await reservationRepository.insert(tx, released, event.reason);
      batch.noteTombstone(released.reservationId);
    }
    // Events about the reservation belong to the store that holds it (where the stock came free).
    const origin = { ...originFrom(request, "warehouse"), storeId: released.storeId };
    await outbox.append(tx, [newEvent(EventTypes.StockReleased, { reservationId: released.reservationId, reason: event.reason }, origin)]);
  }
}
