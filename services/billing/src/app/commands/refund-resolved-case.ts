import type pg from "pg";
import { afterSalesRefundReference, EventTypes, newEvent, originFrom, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { caseRefundShortfallRepository } from "../../adapters/pg/case-refund-shortfall-repository.ts";
import { caseRefundShortfallOf, type CaseRefundShortfall } from "../../domain/case-refund-shortfall.ts";
import type { InvoiceDesk } from "../invoice-desk.ts";
import { executeRefundCommand, type RefundOutcome } from "../execute-refund-command.ts";

export interface CaseRefundOutcome {
  outcome: RefundOutcome;
  /** Announced now: the case got less than it named. */
  shortfall?: CaseRefundShortfall;
}

/**
 * An after-sales case was resolved with money going back to the customer (ADR 017): it is
 * refunded once, under the case's id, the way the money came, never beyond what billing
 * still holds of the order. The person who resolved the case caused the refund. When less
 * went back than the case named, billing says so in the same transaction
 * (CaseRefundShortfall), so the case shows it and finance settles the rest. A case heard
 * again announces nothing more: refunded before, its reference is used; refunded nothing, its
 * recorded shortfall says it was announced.
 */
export async function refundResolvedCase(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  desk: InvoiceDesk,
  resolved: OrderEventOf<typeof EventTypes.CaseResolved>,
): Promise<CaseRefundOutcome | undefined> {
  const amountMinor = Number(resolved.payload.refundMinor);
  if (amountMinor <= 0) return undefined;
  const origin = originFrom(resolved, "billing", resolved.actor);
  const outcome = await executeRefundCommand(
    tx,
    outbox,
    resolved.orderId,
    { type: "RefundResolvedCase", amountMinor, reason: `after-sales ${resolved.payload.kind} ${resolved.payload.caseId}: ${resolved.payload.resolution}` },
    afterSalesRefundReference(resolved.payload.caseId),
    origin,
    desk,
  );
  if (outcome.kind === "already-issued") return { outcome };
  const refundedMinor = outcome.kind === "issued" ? outcome.refunds.reduce((total, r) => total + r.amountMinor, 0) : 0;
  const held = outcome.kind === "issued" ? { paidMinor: outcome.paidMinor, refundedBeforeMinor: outcome.refundedBeforeMinor } : undefined;
  const shortfall = caseRefundShortfallOf(amountMinor, held, refundedMinor);
  if (!shortfall) return { outcome };
  if (!(await caseRefundShortfallRepository.recordOnce(tx, resolved.payload.caseId, resolved.orderId, shortfall))) return { outcome };
  // Billing knows the order's currency only when it holds money of it.
  const money = (minor: number) => ({ minor, currency: outcome.kind === "issued" ? outcome.currency : "" });
  await outbox.append(tx, [
    newEvent(
      EventTypes.CaseRefundShortfall,
      { caseId: resolved.payload.caseId, requested: money(shortfall.requestedMinor), refunded: money(shortfall.refundedMinor), reason: shortfall.reason },
      origin,
    ),
  ]);
  return { outcome, shortfall };
}
