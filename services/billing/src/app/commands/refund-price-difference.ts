import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { InvoiceDesk } from "../invoice-desk.ts";
import { executeRefundCommand, type RefundOutcome } from "../execute-refund-command.ts";

/** The customer took a cheaper substitute for an out-of-stock item: the difference they paid goes back, once. */
export async function refundPriceDifference(
  tx: pg.ClientBase,
  outbox: OutboxWriter, desk: InvoiceDesk,
  substituted: OrderEventOf<typeof EventTypes.OrderLinesSubstituted>,
): Promise<RefundOutcome | undefined> {
  const amountMinor = Number(substituted.payload.refundDueMinor);
  if (amountMinor <= 0) return undefined;
  const what = substituted.payload.substitutions.map((s) => `${s.sku} → ${s.substituteSku}`).join(", ");
  return executeRefundCommand(
    tx,
    outbox,
    substituted.orderId,
    { type: "RefundPriceDifference", amountMinor, reason: `cheaper substitute: ${what}` },
    `substitution:${substituted.eventId}`,
    originFrom(substituted, "billing", substituted.actor),
    desk,
  );
}
