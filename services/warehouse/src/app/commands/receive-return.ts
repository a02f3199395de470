import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { returnRepository } from "../../adapters/pg/return-repository.ts";
import { restockReturned, stockCorrections } from "../../adapters/pg/stock-corrections.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { assertReturnReceipt, decideReturnReceipt, returnNotExpected, outstandingOf, writtenOffOf, type ExpectedReturn, type ReturnReceipt, type WriteOffCondition } from "../../domain/returns.ts";
import { staffActorOf } from "../caller.ts";
import { reserveReplacementsOnRise, skusToLockForRise } from "../replacements-on-restock.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * A clerk received (part of) a case's goods back and inspected them: resellable units go
 * back on hand (a 'returned' movement; available to promise at once), damaged or unsellable
 * ones are written off with their cause, the store's exchange replacements awaiting a
 * restocked SKU are reserved from it first (app/replacements-on-restock.ts), and
 * ReturnReceived tells after-sales (the case
 * shows it), fulfillment (the order's timeline; orders waiting for the SKU) and the archive.
 * Booked once under the clerk's receipt id: sent again, it answers the return as it stands.
 */
export async function receiveReturn(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.ReceiveReturnRequest,
  correlationId: string,
  logger: Logger,
  deadlines: Pick<ShipmentDeadlines, "settings">,
): Promise<ExpectedReturn> {
  const actor = staffActorOf(request.caller);
  const receipt = assertReturnReceipt({
    caseId: request.caseId,
    receiptId: request.receiptId,
    lines: request.lines.map((line) => ({
      sku: line.sku,
      resellable: line.resellable,
      location: line.location,
      writeOffs: line.writeOffs.map((w) => ({ quantity: w.quantity, condition: w.condition as WriteOffCondition, cause: w.cause })),
    })),
  });
  const booked = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      // Unlocked: which store's stock the receipt will touch. A case's store never changes.
      const known = await returnRepository.find(tx, receipt.caseId);
      if (!known) throw returnNotExpected(receipt.caseId);
      const shelves = receipt.lines
        .filter((l) => l.resellable > 0)
        .map((l) => ({ storeId: known.storeId, sku: l.sku, location: l.location }))
        // In the global key order (sku, then location, by bytes as the COLLATE "C" columns
        // compare): two receipts adding the same new shelves never wait on each other crosswise.
        .sort((a, b) => Buffer.compare(Buffer.from(`${a.sku}\u0000${a.location}`), Buffer.from(`${b.sku}\u0000${b.location}`)));
      // Rows first, then the SKUs' locks, then the return's row: the stock rows in the order
      // everyone takes them (stock-locks.ts), and nobody who holds a return's row waits for stock.
      for (const shelf of shelves) await stockCorrections.insertEmpty(tx, shelf);
      const restockedSkus = [...new Set(shelves.map((s) => s.sku))];
      // With the SKUs of the replacements awaiting the restocked ones, in the same statement: they may be reserved below.
      await stockRepository.lockForSkus(tx, known.storeId, await skusToLockForRise(tx, known.storeId, restockedSkus));
      const expected = await returnRepository.lock(tx, receipt.caseId);
      if (!expected) throw returnNotExpected(receipt.caseId);
      // Asked under the return's lock: a twin sent at the same moment waits here, then finds this one.
      const decision = decideReturnReceipt(expected, receipt, await returnRepository.findReceipt(tx, receipt.caseId, receipt.receiptId));
      if (decision.kind === "repeat") return { after: expected, fresh: false };
      const { after } = decision;
      await returnRepository.book(tx, after, receipt, actor);
      const reason = `returned goods (case ${after.caseId}, receipt ${receipt.receiptId})`;
      await restockReturned(
        tx,
        shelves.map((shelf) => ({ ...shelf, quantity: receipt.lines.find((l) => l.sku === shelf.sku)!.resellable })),
        { orderId: after.orderId, caseId: after.caseId, receiptId: receipt.receiptId, reason, actor },
      );
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId };
      await outbox.append(tx, [newEvent(EventTypes.ReturnReceived, returnReceivedPayload(after, receipt, decision), origin)]);
      await reserveReplacementsOnRise(tx, outbox, { storeId: after.storeId, skus: restockedSkus, actor, correlationId, cause: reason }, deadlines);
      return { after, fresh: true };
    }),
  );
  if (booked.fresh) {
    logger.info(
      { orderId: booked.after.orderId, caseId: receipt.caseId, receiptId: receipt.receiptId, correlationId, storeId: booked.after.storeId },
      "returned goods received and inspected",
    );
  }
  return booked.after;
}

function returnReceivedPayload(after: ExpectedReturn, receipt: ReturnReceipt, totals: { restocked: number; writtenOff: number }) {
  return {
    caseId: after.caseId,
    receiptId: receipt.receiptId,
    lines: receipt.lines.map((l) => ({ sku: l.sku, restocked: l.resellable, location: l.location, writtenOff: writtenOffOf(l), writeOffs: l.writeOffs })),
    restocked: totals.restocked,
    writtenOff: totals.writtenOff,
    outstanding: after.lines.reduce((sum, l) => sum + outstandingOf(l), 0),
  };
}
