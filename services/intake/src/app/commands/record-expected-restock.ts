import type { PermittedContext } from "../request-context.ts";
import { expectedRestockViewOf, type ExpectedRestockView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/**
 * A clerk or the store manager says the supplier's delivery of a SKU is due at the store on a
 * day (ADR 030's second addendum): shortages tell it, and the orders and exchanges waiting for
 * the SKU there learn it. The same date again answers as it stands.
 */
export async function recordExpectedRestock(
  deps: WarehouseDeps,
  context: PermittedContext<"record-expected-restock">,
  storeId: string,
  sku: string,
  body: { date: string; location?: string | undefined },
): Promise<ExpectedRestockView> {
  const expected = { date: body.date, location: body.location ?? "" };
  return expectedRestockViewOf(await deps.warehouse.recordExpectedRestock(storeId, sku, context.caller, expected, context.correlationId));
}

/** The delivery is no longer expected on a known day: the date is cleared, saying why. Cleared again, it answers as it stands. */
export async function clearExpectedRestock(deps: WarehouseDeps, context: PermittedContext<"record-expected-restock">, storeId: string, sku: string, reason: string): Promise<ExpectedRestockView> {
  return expectedRestockViewOf(await deps.warehouse.clearExpectedRestock(storeId, sku, context.caller, reason, context.correlationId));
}
