import type { warehouseApi } from "@oms/contracts";
import type { Reservation } from "../../domain/reservation.ts";
import { staffActorOf } from "../caller.ts";
import type { RunClerkStep } from "../clerk-steps.ts";

/**
 * A carrier has taken the packed goods: they leave stock, and ShipmentDispatched (with the
 * tracking number) tells fulfillment, which moves the order to shipped. Pick-up orders
 * are not shipped; their goods leave stock at the hand-over (hand-over-pickup.ts).
 */
export async function shipReservation(run: RunClerkStep, request: warehouseApi.ShipReservationRequest): Promise<Reservation> {
  const actor = staffActorOf(request.caller);
  const command = { type: "ShipReservation", reservationId: request.reservationId, carrier: request.carrier, trackingNumber: request.trackingNumber } as const;
  return run({ command, cause: { actor, correlationId: request.correlationId } });
}
