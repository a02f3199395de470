import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A clerk handed an exchange's replacement to a carrier (ADR 030); the case id is the shipment's, so a retry answers it as it stands. */
export async function shipReplacement(
  deps: WarehouseDeps,
  context: PermittedContext<"ship-replacement">,
  caseId: string,
  shipment: { carrier: string; trackingNumber: string },
): Promise<ReplacementView> {
  return replacementViewOf(await deps.warehouse.shipReplacement(caseId, context.caller, shipment, context.correlationId));
}
