import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { PICKUP } from "../../domain/shipment.ts";
import { advanceReservation } from "../advance-reservation.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * A pick-up order was handed over at the counter (fulfillment recorded the delivery):
 * its reservation's units leave stock now, as a shipment's would. Deliveries of orders
 * that were shipped (their stock left with the carrier) and repeated deliveries (after
 * rework) change nothing. Whatever of its pick and pack was still open is met.
 */
export async function handOverPickup(
  tx: pg.ClientBase,
  outbox: EventAppender,
  delivery: OrderEventOf<typeof EventTypes.DeliveryRecorded>,
  logger: Logger,
  deadlines: ShipmentDeadlines,
): Promise<void> {
  const pickups = (await reservationRepository.findByOrder(tx, delivery.orderId)).filter((r) => r.fulfillmentMethod === PICKUP);
  for (const pickup of pickups) {
    // Released: an earlier attempt of the order, given back long ago. Handed over: a delivery recorded again after rework.
    if (pickup.status === "released" || pickup.status === "handed-over") continue;
    if (pickup.status !== "packed") {
      logger.warn({ reservationId: pickup.reservationId, status: pickup.status }, "pick-up order handed over before it was packed on record");
    }
    const origin = originFrom(delivery, "warehouse", delivery.actor);
    await advanceReservation(tx, outbox, { type: "HandOverAtCounter", reservationId: pickup.reservationId }, origin, deadlines);
    logger.info({ reservationId: pickup.reservationId }, "pick-up order handed over; its stock is out");
  }
}
