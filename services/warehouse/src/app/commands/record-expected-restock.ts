import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { assertRecordable } from "../../domain/restock-expectation.ts";
import { staffActorOf } from "../caller.ts";
import { changeExpectedRestock } from "../expected-restock.ts";

/**
 * A clerk or the store manager says the supplier's delivery of a SKU is due at the store on a
 * day (the store's today or later, whatever its time zone): every location of the SKU there
 * carries it, and whoever waits for the SKU learns it (app/expected-restock.ts). The same date
 * again answers as it stands. Naming a location puts the SKU's row there on record first, with
 * nothing on hand, when there is none: a store introducing a product says when it arrives.
 */
export async function recordExpectedRestock(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.RecordExpectedRestockRequest,
  correlationId: string,
  clock: () => Date,
): Promise<warehouseApi.ExpectedRestockView> {
  const actor = staffActorOf(request.caller);
  const expectation = { storeId: request.storeId.trim(), sku: request.sku.trim(), date: request.date.trim(), reason: "", location: request.location.trim() };
  assertRecordable(expectation, clock());
  return changeExpectedRestock(pool, outbox, expectation, actor, correlationId);
}
