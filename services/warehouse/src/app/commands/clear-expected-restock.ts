import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { assertClearable } from "../../domain/restock-expectation.ts";
import { staffActorOf } from "../caller.ts";
import { changeExpectedRestock } from "../expected-restock.ts";

/**
 * The delivery of a SKU is no longer expected on a known day (the supplier cancelled it, gave
 * no new day): staff clear the date, saying why, and whoever waits for the SKU learns that
 * nobody knows any more. Cleared again, or never set, it answers as it stands.
 */
export async function clearExpectedRestock(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.ClearExpectedRestockRequest, correlationId: string): Promise<warehouseApi.ExpectedRestockView> {
  const actor = staffActorOf(request.caller);
  const expectation = { storeId: request.storeId.trim(), sku: request.sku.trim(), date: "", reason: request.reason.trim() };
  assertClearable(expectation);
  return changeExpectedRestock(pool, outbox, expectation, actor, correlationId);
}
