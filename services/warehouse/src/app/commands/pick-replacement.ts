import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../../adapters/pg/replacement-stock.ts";
import { decideReplacementPick } from "../../domain/replacement-steps.ts";
import type { Replacement } from "../../domain/replacements.ts";
import { staffActorOf } from "../caller.ts";
import { caseIdOfStep, lockForClerkStep } from "../replacement-clerk-step.ts";
import { followReplacementStep } from "../replacement-deadlines.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * A clerk picked an exchange's replacement (ADR 030's seventh addendum), as an order's pick: the
 * pick's time node is met and the pack's starts. One still awaiting stock is reserved by the pick
 * when the stock is there now ('reserved' movements naming the order and the case, and
 * ReplacementReserved before ReplacementPicked), or refused naming the SKUs short, nothing
 * written. Picked before, it answers as recorded.
 */
export async function pickReplacement(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.ReplacementStepRequest,
  correlationId: string,
  logger: Logger,
  deadlines: ShipmentDeadlines,
): Promise<Replacement> {
  const actor = staffActorOf(request.caller);
  const caseId = caseIdOfStep(request.caseId);
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const { replacement, stock } = await lockForClerkStep(tx, caseId, request.callerStoreIds);
      const at = deadlines.clock();
      const decision = decideReplacementPick(replacement, stock, `${actor.kind}:${actor.id}`, at);
      if (decision.kind === "repeat") return { after: replacement, fresh: false, reservedNow: false };
      const { after, reserveNow } = decision;
      await replacementStock.reserve(tx, reserveNow, { storeId: after.storeId, orderId: after.orderId, caseId, actor, reason: `replacement for case ${caseId}, reserved at its pick` });
      await replacementRepository.save(tx, after);
      await followReplacementStep(tx, after, "pick", at, correlationId, deadlines);
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now: at };
      await outbox.append(tx, [
        ...(reserveNow.length > 0 ? [newEvent(EventTypes.ReplacementReserved, { caseId, lines: reserveNow }, origin)] : []),
        newEvent(EventTypes.ReplacementPicked, { caseId, lines: after.reserved }, origin),
      ]);
      return { after, fresh: true, reservedNow: reserveNow.length > 0 };
    }),
  );
  if (answered.fresh) {
    const { orderId, storeId } = answered.after;
    logger.info({ orderId, caseId, storeId, correlationId, reservedAtPick: answered.reservedNow }, "exchange replacement picked");
  }
  return answered.after;
}
