import type pg from "pg";
import { EventTypes, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import { replacementRepository } from "../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../adapters/pg/replacement-stock.ts";
import type { StockKey } from "../adapters/pg/stock-locks.ts";
import { stockRepository } from "../adapters/pg/stock-repository.ts";
import { reserveAwaitingReplacements } from "../domain/replacement-restock.ts";
import type { Replacement } from "../domain/replacements.ts";
import { startReplacementDeadlines } from "./replacement-deadlines.ts";
import type { ShipmentDeadlines } from "./step-deadlines.ts";

/**
 * Exchanges' replacements awaiting stock get it when it comes (ADR 030's addendum): every
 * step that raises a store's stock — goods received, a returned unit restocked, a count that
 * found more, an order's reservation released or turned down, a replacement called off —
 * reserves them in its own transaction, right after the stock change. So the customer who
 * already holds a faulty item is served before the next order waiting for stock (fulfillment
 * asks for those only once it hears of the rise, after the commit), and the rise and the
 * reservation are one fact: no later step can be lost between them.
 *
 * Locks: the step takes `skusToLockForRise` with its own SKUs in its one sorted statement;
 * `reserveReplacementsOnRise` then locks the waiting replacements and takes their rows again
 * without waiting (stock-locks.ts), so nothing that holds a replacement waits for stock.
 */

/** What rose: at which store, which SKUs, whose step, and why (for the ledger's reason). */
export interface StockRise {
  storeId: string;
  skus: readonly string[];
  actor: Actor;
  correlationId: string;
  /** "goods received (receipt DN-1)": the ledger says why the replacement was reserved then. */
  cause: string;
}

/**
 * The SKUs a step that may raise these SKUs' stock at the store locks in its one statement:
 * its own and those of the replacements awaiting any of them there (read unlocked).
 */
export async function skusToLockForRise(db: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<string[]> {
  const keys = await stockKeysToLockForRise(db, skus.map((sku) => ({ storeId, sku })));
  return [...new Set(keys.map((k) => k.sku))];
}

/** As skusToLockForRise, for a batch over several stores (fulfillment's releases). */
export async function stockKeysToLockForRise(db: pg.ClientBase, keys: readonly StockKey[]): Promise<StockKey[]> {
  const waiting = await replacementRepository.awaitingStockKeysTouching(db, keys);
  const all = new Map<string, StockKey>();
  for (const key of [...keys, ...waiting]) all.set(`${key.storeId}\u0000${key.sku}`, key);
  return [...all.values()];
}

/**
 * Stock of these SKUs rose at the store, in this transaction: the replacements awaiting any
 * of them there are reserved, oldest acceptance first, each all or nothing
 * (domain/replacement-restock.ts), with 'reserved' movements naming the order and the case,
 * and ReplacementReserved as at the acceptance, the rising step's actor and correlation.
 * Each one reserved gets its ship-by deadline (ADR 030's fifth addendum). Returns the replacements it reserved.
 */
export async function reserveReplacementsOnRise(tx: pg.ClientBase, outbox: EventAppender, rise: StockRise, deadlines: Pick<ShipmentDeadlines, "settings">): Promise<Replacement[]> {
  const waiting = await replacementRepository.lockAwaiting(tx, rise.storeId, rise.skus);
  if (waiting.length === 0) return [];
  const stock = await stockRepository.lockForSkusAtOnce(tx, rise.storeId, waiting.flatMap((r) => r.lines.map((l) => l.sku)));
  const at = new Date();
  const reserved = reserveAwaitingReplacements(waiting, stock, at);
  const announced: OrderEvent[] = [];
  for (const after of reserved) {
    const context = { storeId: after.storeId, orderId: after.orderId, caseId: after.caseId, actor: rise.actor };
    await replacementStock.reserve(tx, after.reserved, { ...context, reason: `replacement for case ${after.caseId}, as stock came in: ${rise.cause}` });
    await replacementRepository.save(tx, after);
    const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor: rise.actor, correlationId: rise.correlationId, now: at };
    announced.push(newEvent(EventTypes.ReplacementReserved, { caseId: after.caseId, lines: after.reserved }, origin));
  }
  await outbox.append(tx, announced);
  // Reserved now: their ship-by clocks start (replacement-deadlines.ts), the rising step's chain continued by their warnings.
  await startReplacementDeadlines(tx, reserved, () => rise.correlationId, deadlines);
  return reserved;
}
