import type { StoreScope } from "@oms/identity";
import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/**
 * A clerk picked an exchange's replacement (ADR 030's seventh addendum), the first of its steps out; asked again it answers as
 * recorded. Held to the store it ships from, as its shipment (ship-replacement.ts): the clerk's stores go with it.
 */
export async function pickReplacement(deps: WarehouseDeps, context: PermittedContext<"pick-replacement">, scope: StoreScope, caseId: string): Promise<ReplacementView> {
  return replacementViewOf(await deps.warehouse.replacementStep("pick", caseId, context.caller, { parcels: 0, callerStoreIds: storesOf(scope) }, context.correlationId));
}

/** A clerk packed a picked replacement into parcels; it gets its label. The same parcels again answer as recorded. */
export async function packReplacement(deps: WarehouseDeps, context: PermittedContext<"pack-replacement">, scope: StoreScope, caseId: string, parcels: number): Promise<ReplacementView> {
  return replacementViewOf(await deps.warehouse.replacementStep("pack", caseId, context.caller, { parcels, callerStoreIds: storesOf(scope) }, context.correlationId));
}

const storesOf = (scope: StoreScope): string[] => (scope.kind === "chain" ? [] : [...scope.stores]);
