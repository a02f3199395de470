import type pg from "pg";
import { caseIdOfRefundReference, EventTypes, type EventType, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRefundRepository } from "../../adapters/pg/case-refund-repository.ts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordCaseRefund, recordRefundShortfall } from "../../domain/case-refunds.ts";

/** Billing's events that say what went back for a case (ADR 017, addendum). */
export const caseRefundEventTypes: EventType[] = [EventTypes.RefundIssued, EventTypes.CaseRefundShortfall];

type CaseRefundEvent = OrderEventOf<typeof EventTypes.RefundIssued> | OrderEventOf<typeof EventTypes.CaseRefundShortfall>;

/** The case a billing event is about: a resolved case's refund (by its reference) or shortfall; undefined for the rest of billing's news. */
export function caseOfRefundEvent(event: OrderEvent): string | undefined {
  if (event.type === EventTypes.CaseRefundShortfall) return event.payload.caseId || undefined;
  if (event.type !== EventTypes.RefundIssued || event.payload.trigger !== "after-sales") return undefined;
  return caseIdOfRefundReference(event.payload.reference);
}

/**
 * Billing refunded money for a case, or said the refund fell short: the case keeps it under
 * its row lock (ordered with customer service's steps on it). A refund is counted once by its
 * id, however often it is heard; the first shortfall stands. A case after-sales does not have
 * is refused, as the warehouse's and dispatch's news of one is.
 */
export async function recordCaseRefundOf(tx: pg.ClientBase, event: OrderEvent, logger: Logger): Promise<void> {
  const caseId = caseOfRefundEvent(event);
  if (!caseId) return;
  const known = event as CaseRefundEvent;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `billing announced money back for case ${caseId}, which after-sales does not have`);
  const context = { orderId: event.orderId, caseId, correlationId: event.correlationId };
  if (known.type === EventTypes.RefundIssued) {
    const refund = { refundId: known.payload.refundId, amountMinor: Number(known.payload.amount?.minor ?? 0), at: known.occurredAt };
    const after = recordCaseRefund(state, refund);
    if (!(await caseRefundRepository.insertIfNew(tx, caseId, refund))) return;
    await caseRefundRepository.saveRefunded(tx, after);
    logger.info({ ...context, refundId: refund.refundId, amountMinor: refund.amountMinor, refundedMinor: after.refundedMinor }, "refund recorded on the case");
    return;
  }
  const { requested, refunded, reason } = known.payload;
  const after = recordRefundShortfall(state, { requestedMinor: Number(requested?.minor ?? 0), refundedMinor: Number(refunded?.minor ?? 0), reason, at: known.occurredAt });
  if (!after) return;
  await caseRefundRepository.saveShortfall(tx, after);
  logger.warn({ ...context, requestedMinor: after.refundShortfall!.requestedMinor, refundedMinor: after.refundShortfall!.refundedMinor }, "refund shortfall recorded on the case");
}
