import type { warehouseApi } from "@oms/contracts";
import type { ShipmentExceptionReport } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/**
 * A clerk raises damage, loss or delay of a reservation's goods; the warehouse records it
 * and the order's customer is told the cause and the next step. Raising is not resolving.
 */
export function reportShipmentException(
  deps: WarehouseDeps,
  context: PermittedContext<"report-shipment-exception">,
  reservationId: string,
  report: ShipmentExceptionReport,
): Promise<warehouseApi.ShipmentExceptionView> {
  context.logger.info({ reservationId, kind: report.kind }, "shipment exception raised");
  return deps.warehouse.reportShipmentException(reservationId, context.caller, report, context.correlationId);
}
