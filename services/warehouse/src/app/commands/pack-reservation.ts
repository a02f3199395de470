import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { Reservation } from "../../domain/reservation.ts";
import { advanceReservation } from "../advance-reservation.ts";
import { staffActorOf } from "../caller.ts";

/** A clerk has packed the picked goods into parcels; the reservation gets its label. */
export async function packReservation(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.PackReservationRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  const command = { type: "PackReservation", reservationId: request.reservationId, parcels: request.parcels } as const;
  return retryOnConflict(() => withTransaction(pool, (tx) => advanceReservation(tx, outbox, command, { actor, correlationId: request.correlationId })));
}
