import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../../adapters/pg/replacement-stock.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { assertReplacementShipment, assertShipsFromCallersStore, decideReplacementShipment, replacementMovedMeanwhile, replacementNotFound, type Replacement } from "../../domain/replacements.ts";
import { staffActorOf } from "../caller.ts";
import { endReplacementDeadline } from "../replacement-deadlines.ts";

/**
 * A clerk hands an exchange's replacement to a carrier (ADR 030): its reserved units leave
 * stock ('shipped' movements naming the order and the case); one still awaiting stock is
 * reserved and shipped in the same transaction when the stock is there now, or refused
 * naming the SKUs short. ReplacementShipped tells the order's timeline, the case and the
 * dossier. The SKUs' stock rows are locked first (the global order, stock-locks.ts), then
 * the replacement's row: nothing holding a replacement waits for stock. The case id is the
 * shipment's id (ADR 015): the same parcel again answers as it stands. A clerk of some stores
 * ships only a replacement that ships from one of them (callerStoreIds).
 */
export async function shipReplacement(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.ShipReplacementRequest, correlationId: string, logger: Logger): Promise<Replacement> {
  const actor = staffActorOf(request.caller);
  const shipment = assertReplacementShipment({ caseId: request.caseId, carrier: request.carrier, trackingNumber: request.trackingNumber });
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      // Unlocked: which store and SKUs to lock. Its lines never change; its store may, by the desk's move (checked once locked).
      const known = await replacementRepository.find(tx, shipment.caseId);
      if (!known) throw replacementNotFound(shipment.caseId);
      const stock = await stockRepository.lockForSkus(tx, known.storeId, known.lines.map((l) => l.sku));
      const replacement = (await replacementRepository.lock(tx, shipment.caseId))!;
      // Only from the clerk's own store, as it stands under the lock: not the one the gateway or our unlocked read last saw.
      assertShipsFromCallersStore(replacement, request.callerStoreIds);
      if (replacement.storeId !== known.storeId) throw replacementMovedMeanwhile(replacement.caseId, known.storeId, replacement.storeId);
      const decision = decideReplacementShipment(replacement, shipment, stock, `${actor.kind}:${actor.id}`, new Date());
      if (decision.kind === "repeat") return { after: replacement, fresh: false };
      const { after, reserveNow, leaving } = decision;
      const context = { storeId: after.storeId, orderId: after.orderId, caseId: after.caseId, actor };
      await replacementStock.reserve(tx, reserveNow, { ...context, reason: `replacement for case ${after.caseId}` });
      await replacementStock.ship(tx, leaving, { ...context, reason: `replacement shipped with ${shipment.carrier}, tracking ${shipment.trackingNumber}` });
      await replacementRepository.save(tx, after);
      // Gone: its ship-by node is met and its warnings called off (ADR 030's fifth addendum); one reserved and shipped at once had none.
      await endReplacementDeadline(tx, after.caseId, "met", after.shipment!.at);
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now: after.shipment!.at };
      const payload = { caseId: after.caseId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, lines: leaving };
      await outbox.append(tx, [newEvent(EventTypes.ReplacementShipped, payload, origin)]);
      return { after, fresh: true, reservedNow: reserveNow.length > 0 };
    }),
  );
  if (answered.fresh) {
    const { orderId, storeId } = answered.after;
    logger.info({ orderId, caseId: shipment.caseId, storeId, correlationId, reservedAtShipping: answered.reservedNow }, "exchange replacement shipped");
  }
  return answered.after;
}
