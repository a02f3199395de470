import type { WarehouseStock } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import { reservationViewOf, type ReservationView } from "../warehouse-views.ts";

export interface WarehouseDeps {
  warehouse: WarehouseStock;
}

/** A warehouse clerk picked the reserved goods off the shelves. */
export async function pickReservation(deps: WarehouseDeps, context: PermittedContext<"pick-reservation">, reservationId: string): Promise<ReservationView> {
  return reservationViewOf(await deps.warehouse.pickReservation(reservationId, context.caller, context.correlationId));
}
