import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { DeskReasons } from "@oms/sealing";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../../adapters/pg/replacement-stock.ts";
import { restockExpectationRepository } from "../../adapters/pg/restock-expectation-repository.ts";
import { routingRepository } from "../../adapters/pg/routing-repository.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { assertReplacementMove, decideReplacementMove } from "../../domain/replacement-move.ts";
import { replacementMovedMeanwhile, replacementNotFound, type Replacement } from "../../domain/replacements.ts";
import { staffActorOf } from "../caller.ts";
import { processDeskReasons } from "../desk-reasons.ts";
import { startReplacementDeadlines } from "../replacement-deadlines.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * The after-sales desk sends a replacement awaiting stock from another store that can reserve it
 * whole now (ADR 030's third addendum): in one transaction its units are reserved there
 * ('reserved' movements naming the new store, the order and the case), the replacement becomes
 * that store's (its clerks' list, its shipment), and ReplacementMoved tells the case, the timeline
 * and the dossier. A store its profile says takes no orders is refused, as routing passes it by. The goods coming back still go to the order's store: the expected return is
 * not touched (ADR 021). Which staff may is the gateway's rule (move-replacement).
 *
 * Locks: both stores' rows of the replacement's SKUs in ONE sorted statement (the global order,
 * stock-locks.ts), then the replacement's row — as every other path takes them. Taking the old
 * store's rows too orders the move with a rise there (replacements-on-restock.ts, the expected
 * restock path) that would reserve the same replacement: whichever comes second finds it no
 * longer waiting. The move frees nothing at the old store (a waiting replacement holds nothing).
 */
export async function moveReplacement(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.MoveReplacementRequest,
  correlationId: string,
  logger: Logger,
  deadlines: Pick<ShipmentDeadlines, "settings">,
  reasons: DeskReasons = processDeskReasons(),
): Promise<Replacement> {
  const actor = staffActorOf(request.caller);
  const move = assertReplacementMove({ caseId: request.caseId, toStoreId: request.toStoreId, reason: request.reason });
  const by = `${actor.kind}:${actor.id}`;
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const known = await replacementRepository.find(tx, move.caseId);
      if (!known) throw replacementNotFound(move.caseId);
      const skus = known.lines.map((l) => l.sku);
      const keys = [known.storeId, move.toStoreId].flatMap((storeId) => skus.map((sku) => ({ storeId, sku })));
      const locked = await stockRepository.lockAll(tx, keys);
      const replacement = (await replacementRepository.lock(tx, move.caseId))!;
      const atTarget = locked.filter((row) => row.storeId === move.toStoreId);
      const accepting = await routingRepository.acceptingOrders(tx, move.toStoreId);
      const targetKnown = accepting !== undefined || atTarget.length > 0 || (await restockExpectationRepository.storeKnown(tx, move.toStoreId));
      // A store with no profile on record (known by its stock alone) is taken as open, as routing's seed takes it.
      const target = { known: targetKnown, acceptingOrders: accepting ?? true, stock: atTarget };
      const decision = decideReplacementMove(replacement, move, target, by, new Date());
      if (decision.kind === "repeat") return { after: replacement, fresh: false };
      // Only a waiting replacement moves, and it never moved before: still at the store whose rows we hold.
      if (replacement.storeId !== known.storeId) throw replacementMovedMeanwhile(replacement.caseId, known.storeId, replacement.storeId);
      const { after, reserve } = decision;
      const from = replacement.storeId;
      const context = { storeId: after.storeId, orderId: after.orderId, caseId: after.caseId, actor };
      await replacementStock.reserve(tx, reserve, { ...context, reason: `replacement for case ${after.caseId}, sent from ${after.storeId} instead of ${from}` });
      await replacementRepository.save(tx, after);
      // Reserved at the new store: its clerks must ship it by a deadline counted from the move (ADR 030's fifth addendum).
      await startReplacementDeadlines(tx, [after], () => correlationId, deadlines);
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now: after.moved!.at };
      const payload = { caseId: after.caseId, fromStoreId: from, toStoreId: after.storeId, reason: "", sealedReason: reasons.seal("replacement-move", after.caseId, move.reason), lines: reserve };
      await outbox.append(tx, [newEvent(EventTypes.ReplacementMoved, payload, origin)]);
      return { after, fresh: true };
    }),
  );
  if (answered.fresh) {
    // The reason is the desk's own words (it may name the customer): kept on the replacement, not logged.
    const { orderId, storeId, moved } = answered.after;
    logger.info({ orderId, caseId: move.caseId, fromStoreId: moved?.fromStoreId, storeId, correlationId }, "exchange replacement moved to another store");
  }
  return answered.after;
}
