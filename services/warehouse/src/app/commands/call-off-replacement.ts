import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { DeskReasons } from "@oms/sealing";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../../adapters/pg/replacement-stock.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { assertReplacementCallOff, decideReplacementCallOff, replacementMovedMeanwhile, replacementNotFound, unitsOf, type Replacement } from "../../domain/replacements.ts";
import { staffActorOf } from "../caller.ts";
import { processDeskReasons } from "../desk-reasons.ts";
import { endReplacementDeadline } from "../replacement-deadlines.ts";
import { reserveReplacementsOnRise, skusToLockForRise } from "../replacements-on-restock.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * The after-sales desk calls an exchange's replacement off before it ships (the customer took
 * a refund instead): what was reserved for it is released ('released' movements naming the
 * order and the case), and ReplacementCalledOff tells the timeline, the case and the dossier.
 * Which staff may is the gateway's rule (call-off-replacement). Stock rows first, then the
 * replacement's row, as a shipment takes them. The units it frees go first to the store's
 * other replacements awaiting them (app/replacements-on-restock.ts), then to orders. The reason
 * goes out sealed (ADR 024, twenty-fourth-session addendum): the desk's words may name the customer.
 */
export async function callOffReplacement(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.CallOffReplacementRequest,
  correlationId: string,
  logger: Logger,
  deadlines: Pick<ShipmentDeadlines, "settings">,
  reasons: DeskReasons = processDeskReasons(),
): Promise<Replacement> {
  const actor = staffActorOf(request.caller);
  const callOff = assertReplacementCallOff({ caseId: request.caseId, reason: request.reason });
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const known = await replacementRepository.find(tx, callOff.caseId);
      if (!known) throw replacementNotFound(callOff.caseId);
      const skus = known.lines.map((l) => l.sku);
      // With the SKUs of the replacements awaiting these, in the same statement: the units released may be theirs below.
      await stockRepository.lockForSkus(tx, known.storeId, await skusToLockForRise(tx, known.storeId, skus));
      const replacement = (await replacementRepository.lock(tx, callOff.caseId))!;
      if (replacement.storeId !== known.storeId) throw replacementMovedMeanwhile(replacement.caseId, known.storeId, replacement.storeId);
      const decision = decideReplacementCallOff(replacement, callOff, `${actor.kind}:${actor.id}`, new Date());
      if (decision.kind === "repeat") return { after: replacement, released: 0, fresh: false };
      const { after, release } = decision;
      await replacementStock.release(tx, release, { storeId: after.storeId, orderId: after.orderId, caseId: after.caseId, actor, reason: `replacement of case ${after.caseId} called off` });
      await replacementRepository.save(tx, after);
      // Nothing left to ship: its ship-by node ends, and no warning follows (ADR 030's fifth addendum).
      await endReplacementDeadline(tx, after.caseId, "called-off", after.calledOff!.at);
      // The event says the moment the replacement says: the case shows the same time as the store's list.
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now: after.calledOff!.at };
      await outbox.append(tx, [newEvent(EventTypes.ReplacementCalledOff, { caseId: after.caseId, reason: "", sealedReason: reasons.seal("replacement-call-off", after.caseId, callOff.reason), released: unitsOf(release), lines: release }, origin)]);
      const rise = { storeId: after.storeId, skus: release.map((l) => l.sku), actor, correlationId, cause: `replacement of case ${after.caseId} called off` };
      await reserveReplacementsOnRise(tx, outbox, rise, deadlines);
      return { after, released: unitsOf(release), fresh: true };
    }),
  );
  if (answered.fresh) {
    // The reason is the desk's own words (it may name the customer): kept on the replacement, not logged.
    const { orderId, storeId } = answered.after;
    logger.info({ orderId, caseId: callOff.caseId, storeId, released: answered.released, correlationId }, "exchange replacement called off");
  }
  return answered.after;
}
