import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { assertReplacementParcels, decideReplacementPack } from "../../domain/replacement-steps.ts";
import type { Replacement } from "../../domain/replacements.ts";
import { staffActorOf } from "../caller.ts";
import { caseIdOfStep, lockForClerkStep } from "../replacement-clerk-step.ts";
import { followReplacementStep } from "../replacement-deadlines.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * A clerk packed a picked replacement into parcels (ADR 030's seventh addendum), as an order's
 * pack: it gets its label, the pack's time node is met and the ship's starts. The same parcels
 * again answer as recorded; other parcels, or a pack before the pick, are refused.
 */
export async function packReplacement(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.ReplacementStepRequest,
  correlationId: string,
  logger: Logger,
  deadlines: ShipmentDeadlines,
): Promise<Replacement> {
  const actor = staffActorOf(request.caller);
  const caseId = caseIdOfStep(request.caseId);
  const parcels = assertReplacementParcels(request.parcels);
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const { replacement } = await lockForClerkStep(tx, caseId, request.callerStoreIds);
      const at = deadlines.clock();
      const decision = decideReplacementPack(replacement, parcels, `${actor.kind}:${actor.id}`, at);
      if (decision.kind === "repeat") return { after: replacement, fresh: false };
      const { after } = decision;
      await replacementRepository.save(tx, after);
      await followReplacementStep(tx, after, "pack", at, correlationId, deadlines);
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now: at };
      await outbox.append(tx, [newEvent(EventTypes.ReplacementPacked, { caseId, parcels, label: after.packed!.label }, origin)]);
      return { after, fresh: true };
    }),
  );
  if (answered.fresh) {
    const { orderId, storeId } = answered.after;
    logger.info({ orderId, caseId, storeId, correlationId, parcels }, "exchange replacement packed");
  }
  return answered.after;
}
