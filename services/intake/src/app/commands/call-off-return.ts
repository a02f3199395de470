import type { PermittedContext } from "../request-context.ts";
import { expectedReturnViewOf, type ExpectedReturnView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** The after-sales desk says a return's outstanding goods will not come: the store stops expecting them (ADR 021). */
export async function callOffReturn(deps: WarehouseDeps, context: PermittedContext<"call-off-return">, caseId: string, reason: string): Promise<ExpectedReturnView> {
  return expectedReturnViewOf(await deps.warehouse.callOffReturn(caseId, context.caller, reason, context.correlationId));
}
