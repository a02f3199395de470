import type { warehouseApi } from "@oms/contracts";
import type { Reservation } from "../../domain/reservation.ts";
import { staffActorOf } from "../caller.ts";
import type { RunClerkStep } from "../clerk-steps.ts";

/** A clerk has packed the picked goods into parcels; the reservation gets its label. */
export async function packReservation(run: RunClerkStep, request: warehouseApi.PackReservationRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  const command = { type: "PackReservation", reservationId: request.reservationId, parcels: request.parcels } as const;
  return run({ command, cause: { actor, correlationId: request.correlationId } });
}
