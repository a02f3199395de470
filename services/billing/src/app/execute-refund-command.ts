import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { refundRepository } from "../adapters/pg/refund-repository.ts";
import type { InvoiceDesk } from "./invoice-desk.ts";
import { decideRefund, evolveRefunds, paidTotalOf, refundedTotalOf, type RefundCommand, type RefundIssued } from "../domain/refund.ts";

export type RefundOutcome =
  /** Billing knows no money of the order: no prepayment, no settlement. */
  | { kind: "unknown-order" }
  /** The reference was used before: the refunds it issued then stand (their sum and reason). */
  | { kind: "already-issued"; amountMinor: number; reason: string }
  /**
   * Refunds issued now (none when nothing was left to refund), what was paid on the order and
   * refunded on it before these, and the order's currency.
   */
  | { kind: "issued"; refunds: RefundIssued[]; paidMinor: number; refundedBeforeMinor: number; currency: string };

/**
 * The one way refunds are issued: lock the order's account, decide, record each refund
 * with who and why, and append a RefundIssued per refund to the outbox, all in the
 * caller's transaction. A refund of an invoiced order is credited at the caller's invoice
 * desk, which numbers the credit notes when the caller's transaction ends.
 */
export async function executeRefundCommand(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  orderId: string,
  command: RefundCommand,
  reference: string,
  origin: EventOrigin,
  desk: InvoiceDesk,
): Promise<RefundOutcome> {
  const stored = await refundRepository.lockAccount(tx, orderId);
  if (!stored) return { kind: "unknown-order" };
  const earlier = await refundRepository.issuedUnder(tx, orderId, reference);
  if (earlier) return { kind: "already-issued", ...earlier };
  let account = stored.account;
  const issued = decideRefund(command, account);
  const events: OrderEvent[] = [];
  const recorded: { refundId: string; amountMinor: number }[] = [];
  const eventOrigin = { ...origin, storeId: origin.storeId || stored.storeId };
  const money = (minor: number) => ({ minor, currency: account.currency });
  for (const refund of issued) {
    const refundId = randomUUID();
    await refundRepository.insert(tx, {
      refundId,
      orderId,
      amountMinor: refund.amountMinor,
      currency: account.currency,
      method: refund.method,
      source: refund.source,
      reason: refund.reason,
      trigger: refund.trigger,
      reference,
      issuedBy: `${origin.actor.kind}:${origin.actor.id}`,
    });
    account = evolveRefunds(account, refund);
    recorded.push({ refundId, amountMinor: refund.amountMinor });
    events.push(
      newEvent(
        EventTypes.RefundIssued,
        {
          refundId,
          amount: money(refund.amountMinor),
          method: refund.method,
          reason: refund.reason,
          trigger: refund.trigger,
          source: refund.source,
          refundedTotal: money(refundedTotalOf(account)),
          paidTotal: money(paidTotalOf(account)),
          reference,
        },
        eventOrigin,
      ),
    );
  }
  if (events.length > 0) await outbox.append(tx, events);
  await desk.creditRefunds(orderId, recorded, eventOrigin);
  return { kind: "issued", refunds: issued, paidMinor: paidTotalOf(account), refundedBeforeMinor: refundedTotalOf(stored.account), currency: account.currency };
}
