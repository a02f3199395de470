import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { Reservation } from "../../domain/reservation.ts";
import { advanceReservation } from "../advance-reservation.ts";
import { staffActorOf } from "../caller.ts";

/** A clerk has picked the goods of a reservation on the pick list. */
export async function pickReservation(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.ReservationCommandRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  return retryOnConflict(() =>
    withTransaction(pool, (tx) =>
      advanceReservation(tx, outbox, { type: "PickReservation", reservationId: request.reservationId }, { actor, correlationId: request.correlationId }),
    ),
  );
}
