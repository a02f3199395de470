import type { StoreScope } from "@oms/identity";
import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/**
 * A clerk handed an exchange's replacement to a carrier (ADR 030); the case id is the shipment's, so a retry answers it as it stands.
 * The clerk's stores go with it: the warehouse ships it only from one of them, as the replacement stands under its lock, since the
 * store scope checked the store after-sales last heard, which lags the desk's move (ADR 030's third addendum).
 */
export async function shipReplacement(
  deps: WarehouseDeps,
  context: PermittedContext<"ship-replacement">,
  scope: StoreScope,
  caseId: string,
  shipment: { carrier: string; trackingNumber: string },
): Promise<ReplacementView> {
  const callerStoreIds = scope.kind === "chain" ? [] : [...scope.stores];
  return replacementViewOf(await deps.warehouse.shipReplacement(caseId, context.caller, { ...shipment, callerStoreIds }, context.correlationId));
}
