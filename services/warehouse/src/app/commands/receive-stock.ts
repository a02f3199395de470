import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { receiptRepository } from "../../adapters/pg/receipt-repository.ts";
import { stockCorrections } from "../../adapters/pg/stock-corrections.ts";
import { stockRepository, type StockLevelRow } from "../../adapters/pg/stock-repository.ts";
import { assertReceivable, isRepeatOfBooked } from "../../domain/stock-count.ts";
import { staffActorOf } from "../caller.ts";
import { reserveReplacementsOnRise, skusToLockForRise } from "../replacements-on-restock.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * Goods came in at a location (a new location of the SKU gets a row): on_hand grows, with a
 * 'received' movement, the SKU expects no restock any more, the store's exchange
 * replacements awaiting it are reserved from it first (app/replacements-on-restock.ts), and
 * StockReceived tells whoever else waits for it (orders on hold for stock). A receipt is
 * booked once by its id: sent again, it answers the stock as it stands.
 */
export async function receiveStock(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.ReceiveStockRequest,
  correlationId: string,
  deadlines: Pick<ShipmentDeadlines, "settings">,
): Promise<StockLevelRow> {
  const actor = staffActorOf(request.caller);
  const { storeId, sku, location, quantity } = request;
  const receipt = { storeId, receiptId: request.receiptId.trim(), sku, location, quantity };
  assertReceivable(receipt);
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      // Row first, then locks, as countStock does: a count or receipt that inserts while
      // holding the SKU's locks could wait for one that inserted and now waits for those locks.
      await stockCorrections.insertEmpty(tx, receipt);
      // With the SKUs of the replacements awaiting this one, in the same statement: they may be reserved below.
      await stockRepository.lockForSkus(tx, storeId, await skusToLockForRise(tx, storeId, [sku]));
      // Asked under the SKU's locks: a twin sent at the same moment waits here for this one, then finds it.
      if (isRepeatOfBooked(receipt, await receiptRepository.find(tx, storeId, receipt.receiptId))) return stockRepository.levelAt(tx, storeId, sku, location);
      await receiptRepository.record(tx, receipt, `${actor.kind}:${actor.id}`);
      await stockCorrections.receive(tx, receipt, quantity, receipt.receiptId, { reason: `goods received (receipt ${receipt.receiptId})`, actor });
      // No order: the event is keyed by nothing and names the store (see README).
      const origin = { producer: "warehouse", orderId: "", storeId, actor, correlationId };
      await outbox.append(tx, [newEvent(EventTypes.StockReceived, { sku, location, quantity }, origin)]);
      await reserveReplacementsOnRise(tx, outbox, { storeId, skus: [sku], actor, correlationId, cause: `goods received (receipt ${receipt.receiptId})` }, deadlines);
      return stockRepository.levelAt(tx, storeId, sku, location);
    }),
  );
}
