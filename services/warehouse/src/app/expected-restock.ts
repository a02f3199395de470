import type pg from "pg";
import { NotFoundError } from "@oms/errors";
import { EventTypes, newEvent, type Actor, type OrderEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { replacementRepository } from "../adapters/pg/replacement-repository.ts";
import { restockExpectationRepository } from "../adapters/pg/restock-expectation-repository.ts";
import { stockCorrections } from "../adapters/pg/stock-corrections.ts";
import { stockRepository } from "../adapters/pg/stock-repository.ts";
import { decideRestockExpectation, shortLinesNow, type RestockExpectation } from "../domain/restock-expectation.ts";
import { stockLevelView } from "./queries/get-stock.ts";
import { skusToLockForRise } from "./replacements-on-restock.ts";

/**
 * A SKU's expected restock date at a store changes (recorded or cleared by staff, ADR 030's
 * second addendum), in one transaction: every location of the SKU carries the new date, the
 * trail keeps who said it and why, RestockExpected tells the store's readers (fulfillment puts
 * it on the timelines of the orders waiting for the SKU there), and every exchange replacement
 * waiting for the SKU at the store gets ReplacementRestockExpected, keyed by its order, with its
 * short lines as they now stand, so the case tells the customer when the whole replacement can
 * come. The same date again changes nothing and announces nothing, even when a location booked
 * since lacks it (that location takes it, quietly).
 *
 * Locks as a rise takes them (replacements-on-restock.ts): the SKU's rows with those of the
 * replacements waiting for it, in one sorted statement; then those replacements; then their
 * rows again without waiting. A receipt, count or shipment of the same SKUs therefore comes
 * wholly before or after, and a replacement is told what it is short of as the stock stands.
 */
export async function changeExpectedRestock(pool: pg.Pool, outbox: OutboxWriter, expectation: RestockExpectation, actor: Actor, correlationId: string): Promise<warehouseApi.ExpectedRestockView> {
  const { storeId, sku, date, reason } = expectation;
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      if (expectation.location) await putLocationOnRecord(tx, { storeId, sku, location: expectation.location });
      const locked = await stockRepository.lockForSkus(tx, storeId, await skusToLockForRise(tx, storeId, [sku]));
      const storeKnown = locked.some((r) => r.sku === sku) || (await restockExpectationRepository.storeKnown(tx, storeId));
      const decision = decideRestockExpectation(expectation, locked, storeKnown);
      if (decision.kind === "unchanged") return viewOf(tx, expectation, false, 0);
      if (decision.kind === "aligned") {
        // The store already tells this date: a location booked since takes it, nobody is told again.
        await restockExpectationRepository.carry(tx, storeId, sku, date);
        return viewOf(tx, expectation, false, 0);
      }
      await restockExpectationRepository.record(tx, { storeId, sku, date, previous: decision.previous, reason, actor });
      const origin = { producer: "warehouse", orderId: "", storeId, actor, correlationId };
      const announced: OrderEvent[] = [newEvent(EventTypes.RestockExpected, { sku, expectedRestockDate: date, previousExpectedRestockDate: decision.previous, reason }, origin)];
      const waiting = await replacementRepository.lockAwaiting(tx, storeId, [sku]);
      const stock = await stockRepository.lockForSkusAtOnce(tx, storeId, waiting.flatMap((r) => r.lines.map((l) => l.sku)));
      for (const replacement of waiting) {
        const short = shortLinesNow(replacement.lines, stock);
        announced.push(
          newEvent(EventTypes.ReplacementRestockExpected, { caseId: replacement.caseId, sku, expectedRestockDate: date, short }, { ...origin, orderId: replacement.orderId }),
        );
      }
      await outbox.append(tx, announced);
      return viewOf(tx, expectation, true, waiting.length);
    }),
  );
}

/**
 * The named location's row of the SKU, with nothing on hand, when the store has none (ADR 030's
 * fifth addendum): a store introducing a product says when its first delivery comes. Only at a
 * store the warehouse knows (a row would otherwise make it known). No movement: a row of zero
 * with none balances (on hand 0 = nothing received, counted or shipped), so the ledger check and
 * the fault harness's "stock conserved" hold; the receipt that brings the goods books them there.
 * Before the locks, as a receipt or count inserts its row (stock-corrections.ts): inserting while
 * holding the SKU's locks could wait for a twin that inserted and now waits for them. In the
 * command's transaction: refused later (a date already over), nothing is left behind.
 */
async function putLocationOnRecord(tx: pg.ClientBase, key: { storeId: string; sku: string; location: string }): Promise<void> {
  // Two statements naming different new locations at once would each lock only their own new row
  // (the other's is not committed) and each record and announce the date. Taken first, before any
  // row, and only here: the second waits, then finds the date on the first's row and aligns its own.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('warehouse.expected-restock-location'), hashtext($1 || E'\\n' || $2))", [key.storeId, key.sku]);
  if (!(await restockExpectationRepository.storeKnown(tx, key.storeId))) throw new NotFoundError("store.unknown", `the warehouse knows no store ${key.storeId}`);
  await stockCorrections.insertEmpty(tx, key);
}

async function viewOf(tx: pg.ClientBase, expectation: RestockExpectation, changed: boolean, waitingReplacements: number): Promise<warehouseApi.ExpectedRestockView> {
  const levels = await stockRepository.levels(tx, expectation.storeId, [expectation.sku]);
  return {
    storeId: expectation.storeId,
    sku: expectation.sku,
    expectedRestockDate: levels.map((l) => l.expectedRestockDate).filter(Boolean).sort()[0] ?? "",
    levels: levels.map(stockLevelView),
    changed,
    waitingReplacements,
  };
}
