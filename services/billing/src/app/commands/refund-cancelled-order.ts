import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { cancellationRepository } from "../../adapters/pg/cancellation-repository.ts";
import type { InvoiceDesk } from "../invoice-desk.ts";
import { executeRefundCommand, type RefundOutcome } from "../execute-refund-command.ts";

/**
 * The order was cancelled: every unit of money billing holds for it goes back. Billing
 * judges by what it recorded, not by the event's `refundDue` (fulfillment's view, which
 * knows prepayment but not payments confirmed by finance since). Billing remembers the
 * cancellation, so that no payment is taken for the order afterwards.
 */
export async function refundCancelledOrder(tx: pg.ClientBase, outbox: OutboxWriter, desk: InvoiceDesk, cancelled: OrderEventOf<typeof EventTypes.OrderCancelled>): Promise<RefundOutcome> {
  const reference = `cancellation:${cancelled.eventId}`;
  // Whoever cancelled caused the refund: the refund is recorded as theirs.
  const origin = originFrom(cancelled, "billing", cancelled.actor);
  const outcome = await executeRefundCommand(tx, outbox, cancelled.orderId, { type: "RefundOnCancellation", reason: cancelled.payload.reason }, reference, origin, desk);
  // Still under the order's money lock the refund took: a payment waiting for it reads this
  // and is refused, as the refund just issued could not include it.
  await cancellationRepository.record(tx, { orderId: cancelled.orderId, reference, reason: cancelled.payload.reason, cancelledBy: `${origin.actor.kind}:${origin.actor.id}` });
  return outcome;
}
