import type { WarehouseDeps } from "../commands/pick-reservation.ts";
import type { PermittedContext } from "../request-context.ts";

export interface StoreAvailabilityView {
  storeId: string;
  available: number;
  onHand: number;
  reserved: number;
  safetyStock: number;
  expectedRestockDate: string;
}

/** Which stores have a SKU and how many each can still promise, the most available first (ADR 030's third addendum). */
export async function getSkuAvailability(deps: WarehouseDeps, context: PermittedContext<"view-stock-availability">, sku: string): Promise<{ sku: string; stores: StoreAvailabilityView[] }> {
  const answer = await deps.warehouse.getSkuAvailability(sku, context.correlationId);
  return {
    sku: answer.sku,
    stores: answer.stores.map(({ storeId, available, onHand, reserved, safetyStock, expectedRestockDate }) => ({ storeId, available, onHand, reserved, safetyStock, expectedRestockDate })),
  };
}
