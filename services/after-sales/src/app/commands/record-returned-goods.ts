import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordGoodsReceived } from "../../domain/case-returned-goods.ts";

/**
 * The warehouse received (part of) a case's goods back (ReturnReceived): the case keeps what
 * was restocked and written off, and when, for customer service to see. The inbox keeps a
 * republished copy from counting twice; the case's row lock orders it with customer
 * service's steps on the same case.
 */
export async function recordReturnedGoods(tx: pg.ClientBase, received: OrderEventOf<typeof EventTypes.ReturnReceived>, logger: Logger): Promise<void> {
  const { caseId, receiptId, restocked, writtenOff, outstanding } = received.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse received goods back for case ${caseId}, which after-sales does not have`);
  const after = recordGoodsReceived(state, { restocked, writtenOff, at: received.occurredAt });
  await caseRepository.recordGoodsReceived(tx, after);
  logger.info({ orderId: received.orderId, caseId, receiptId, restocked, writtenOff, outstanding, correlationId: received.correlationId }, "returned goods recorded on the case");
}
