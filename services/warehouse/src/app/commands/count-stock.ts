import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { stockCorrections } from "../../adapters/pg/stock-corrections.ts";
import { stockRepository, type StockLevelRow } from "../../adapters/pg/stock-repository.ts";
import { assertCountable, decideCount } from "../../domain/stock-count.ts";
import { staffActorOf } from "../caller.ts";
import { reserveReplacementsOnRise, skusToLockForRise } from "../replacements-on-restock.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * A clerk counted a location: the count corrects the books (on_hand becomes what was
 * counted; the difference is a 'count-correction' movement with who and why), and
 * StockCounted says so. A count below what is reserved is refused (see decideCount). A count
 * that found more reserves the store's exchange replacements awaiting the SKU first
 * (app/replacements-on-restock.ts).
 */
export async function countStock(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.CountStockRequest, correlationId: string, deadlines: Pick<ShipmentDeadlines, "settings">): Promise<StockLevelRow> {
  const actor = staffActorOf(request.caller);
  const { storeId, sku, location, counted, reason } = request;
  const count = { storeId, sku, location, counted, reason: reason.trim() };
  assertCountable(count);
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      // Goods found where none were on record need a row to be booked on. It is put there
      // before the lock, so that a concurrent count of the same new location waits for it and
      // then decides against what that count booked, instead of both correcting from zero.
      // A count of zero needs no row: an empty location that is empty changes nothing.
      if (counted > 0) await stockCorrections.insertEmpty(tx, count);
      // With the SKUs of the replacements awaiting this one, in the same statement: a count that finds more reserves them below.
      const books = (await stockRepository.lockForSkus(tx, storeId, await skusToLockForRise(tx, storeId, [sku]))).find((s) => s.sku === sku && s.location === location);
      const correction = decideCount(count, books);
      await stockCorrections.correctCount(tx, count, correction.difference, { reason: count.reason, actor });
      await outbox.append(tx, [
        newEvent(
          EventTypes.StockCounted,
          { sku, location, counted, difference: correction.difference, reason: count.reason },
          { producer: "warehouse", orderId: "", storeId, actor, correlationId },
        ),
      ]);
      if (correction.difference > 0) await reserveReplacementsOnRise(tx, outbox, { storeId, skus: [sku], actor, correlationId, cause: `count of ${location} found ${correction.difference} more` }, deadlines);
      return stockRepository.levelAt(tx, storeId, sku, location);
    }),
  );
}

