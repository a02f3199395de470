import type { PermittedContext } from "../request-context.ts";
import { reservationViewOf, type ReservationView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A warehouse clerk handed the parcels to a carrier under a tracking number; the order becomes shipped. */
export async function shipReservation(
  deps: WarehouseDeps,
  context: PermittedContext<"ship-reservation">,
  reservationId: string,
  shipment: { carrier: string; trackingNumber: string },
): Promise<ReservationView> {
  return reservationViewOf(await deps.warehouse.shipReservation(reservationId, context.caller, shipment, context.correlationId));
}
