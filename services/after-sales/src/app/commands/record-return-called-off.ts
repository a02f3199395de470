import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { storedReasonOf } from "@oms/sealing";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordGoodsCalledOff } from "../../domain/case-returned-goods.ts";

/**
 * The after-sales desk called off a return's goods that had not come back, and the warehouse
 * stopped expecting them (ReturnCalledOff): the case keeps when and why, so whoever reads it
 * next sees that nothing more is coming. The inbox keeps a republished copy from counting
 * twice; the case's row lock orders it with customer service's steps on the same case. The reason
 * is kept as it came — sealed by the warehouse, or in the clear in an event from before the sealing
 * — and never opened here, so a key missing here stops no consumer.
 */
export async function recordReturnCalledOff(tx: pg.ClientBase, calledOff: OrderEventOf<typeof EventTypes.ReturnCalledOff>, logger: Logger): Promise<void> {
  const { caseId, outstanding } = calledOff.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse called off goods of case ${caseId}, which after-sales does not have`);
  await caseRepository.recordGoodsCalledOff(tx, recordGoodsCalledOff(state, { reason: storedReasonOf(calledOff.payload), at: calledOff.occurredAt }));
  logger.info({ orderId: calledOff.orderId, caseId, outstanding, correlationId: calledOff.correlationId }, "returned goods called off on the case");
}
