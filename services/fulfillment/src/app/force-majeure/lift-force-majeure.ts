import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import { assertMayDeclare, coveringDeclaration } from "../../domain/force-majeure.ts";
import { actorOf } from "../caller.ts";
import { OrderUnitOfWork } from "../order-unit-of-work.ts";
import { declaredOf, viewsOf } from "./declaration-view.ts";

/**
 * Lifts a declaration (ADR 027): the orders it holds still — their customers chose to
 * continue and it was not yet resumed, or have not answered — resume where they were held,
 * their timers counted from now; one still under another declaration over its store or
 * district stays held under that one. Lifting again answers the declaration as it stands.
 */
export async function liftForceMajeure(pool: pg.Pool, outbox: OutboxWriter, logger: Logger, request: fulfillmentApi.LiftForceMajeureRequest): Promise<fulfillmentApi.ForceMajeureView> {
  const actor = actorOf(request.caller);
  assertMayDeclare(actor);
  if (!request.eventId.trim()) throw new ValidationError([{ field: "eventId", message: "is required" }]);
  return withTransaction(pool, async (tx) => {
    // The store's lock first, then the declaration's row: the order a declaration takes them in.
    const storeId = await forceMajeureRepository.storeOf(tx, request.eventId);
    if (storeId === undefined) throw new NotFoundError("force-majeure.not-found", `no force majeure ${request.eventId}`);
    await forceMajeureRepository.lockStoreExclusively(tx, storeId);
    const found = (await forceMajeureRepository.lock(tx, request.eventId))!;
    if (found.liftedAt) return (await viewsOf(tx, [found]))[0]!;
    await forceMajeureRepository.markLifted(tx, found.eventId, `${actor.kind}:${actor.id}`);
    const others = (await forceMajeureRepository.declaredAt(tx, [found.storeId])).filter((d) => d.eventId !== found.eventId).map(declaredOf);
    const unit = new OrderUnitOfWork(tx);
    const held = await forceMajeureRepository.heldOrderIds(tx, found.eventId);
    await unit.load(held);
    const at = new Date().toISOString();
    for (const orderId of held) {
      const order = unit.current(orderId);
      if (!order) continue;
      const stillCovered = coveringDeclaration(order, others);
      await unit.execute(orderId, { type: "LiftForceMajeure", eventId: found.eventId, at, actor, ...(stillCovered ? { stillCovered } : {}) }, { actor, correlationId: request.correlationId });
    }
    await unit.flush(outbox);
    logger.info({ eventId: found.eventId, storeId: found.storeId, orders: held.length, correlationId: request.correlationId }, "force majeure lifted");
    const lifted = await forceMajeureRepository.lock(tx, found.eventId);
    return (await viewsOf(tx, [lifted!]))[0]!;
  });
}
