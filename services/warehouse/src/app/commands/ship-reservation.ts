import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { Reservation } from "../../domain/reservation.ts";
import { advanceReservation } from "../advance-reservation.ts";
import { staffActorOf } from "../caller.ts";

/**
 * A carrier has taken the packed goods: they leave stock, and ShipmentDispatched (with the
 * tracking number) tells fulfillment, which moves the order to shipped. Pick-up orders
 * are not shipped; their goods leave stock at the hand-over (hand-over-pickup.ts).
 */
export async function shipReservation(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.ShipReservationRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  const command = { type: "ShipReservation", reservationId: request.reservationId, carrier: request.carrier, trackingNumber: request.trackingNumber } as const;
  return retryOnConflict(() => withTransaction(pool, (tx) => advanceReservation(tx, outbox, command, { actor, correlationId: request.correlationId })));
}
