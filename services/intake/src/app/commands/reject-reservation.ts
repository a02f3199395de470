import type { PermittedContext } from "../request-context.ts";
import { reservationViewOf, type ReservationView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** The store manager turns down an order routing sent the store: routing tries the next store. */
export async function rejectReservation(deps: WarehouseDeps, context: PermittedContext<"reject-reservation">, reservationId: string, reason: string): Promise<ReservationView> {
  context.logger.info({ reservationId }, "routed order turned down by the store");
  return reservationViewOf(await deps.warehouse.rejectReservation(reservationId, context.caller, reason, context.correlationId));
}
