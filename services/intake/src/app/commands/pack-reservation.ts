import type { PermittedContext } from "../request-context.ts";
import { reservationViewOf, type ReservationView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A warehouse clerk packed the picked goods into parcels (and labelled them). */
export async function packReservation(
  deps: WarehouseDeps,
  context: PermittedContext<"pack-reservation">,
  reservationId: string,
  parcels: number,
): Promise<ReservationView> {
  return reservationViewOf(await deps.warehouse.packReservation(reservationId, context.caller, parcels, context.correlationId));
}
