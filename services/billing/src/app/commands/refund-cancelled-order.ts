import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { executeRefundCommand, type RefundOutcome } from "../execute-refund-command.ts";

/**
 * The order was cancelled: every unit of money billing holds for it goes back. Billing
 * judges by what it recorded, not by the event's `refundDue` (fulfillment's view, which
 * knows prepayment but not payments confirmed by finance since).
 */
export async function refundCancelledOrder(tx: pg.ClientBase, outbox: OutboxWriter, cancelled: OrderEventOf<typeof EventTypes.OrderCancelled>): Promise<RefundOutcome> {
  return executeRefundCommand(
    tx,
    outbox,
    cancelled.orderId,
    { type: "RefundOnCancellation", reason: cancelled.payload.reason },
    `cancellation:${cancelled.eventId}`,
    // Whoever cancelled caused the refund: the refund is recorded as theirs.
    originFrom(cancelled, "billing", cancelled.actor),
  );
}
