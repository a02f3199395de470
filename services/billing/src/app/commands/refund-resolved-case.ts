import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { InvoiceDesk } from "../invoice-desk.ts";
import { executeRefundCommand, type RefundOutcome } from "../execute-refund-command.ts";

/**
 * An after-sales case was resolved with money going back to the customer (ADR 017): it is
 * refunded once, under the case's id, the way the money came, never beyond what billing
 * still holds of the order. The person who resolved the case caused the refund.
 */
export async function refundResolvedCase(tx: pg.ClientBase, outbox: OutboxWriter, desk: InvoiceDesk, resolved: OrderEventOf<typeof EventTypes.CaseResolved>): Promise<RefundOutcome | undefined> {
  const amountMinor = Number(resolved.payload.refundMinor);
  if (amountMinor <= 0) return undefined;
  return executeRefundCommand(
    tx,
    outbox,
    resolved.orderId,
    { type: "RefundResolvedCase", amountMinor, reason: `after-sales ${resolved.payload.kind} ${resolved.payload.caseId}: ${resolved.payload.resolution}` },
    `after-sales:${resolved.payload.caseId}`,
    originFrom(resolved, "billing", resolved.actor),
    desk,
  );
}
