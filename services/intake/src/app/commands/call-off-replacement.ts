import type { PermittedContext } from "../request-context.ts";
import { replacementViewOf, type ReplacementView } from "../replacement-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** The after-sales desk calls an exchange's replacement off before it ships: its reservation is released (ADR 030). */
export async function callOffReplacement(deps: WarehouseDeps, context: PermittedContext<"call-off-replacement">, caseId: string, reason: string): Promise<ReplacementView> {
  return replacementViewOf(await deps.warehouse.callOffReplacement(caseId, context.caller, reason, context.correlationId));
}
