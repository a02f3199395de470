import type { warehouseApi } from "@oms/contracts";
import type { Reservation } from "../../domain/reservation.ts";
import { staffActorOf } from "../caller.ts";
import type { RunClerkStep } from "../clerk-steps.ts";

/** A clerk has picked the goods of a reservation on the pick list. */
export async function pickReservation(run: RunClerkStep, request: warehouseApi.ReservationCommandRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  return run({ command: { type: "PickReservation", reservationId: request.reservationId }, cause: { actor, correlationId: request.correlationId } });
}
