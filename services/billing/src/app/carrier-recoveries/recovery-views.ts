import type { billingApi } from "@oms/contracts";
import type { StoredReceipt, StoredRecovery } from "../../adapters/pg/carrier-recovery-repository.ts";
import { isOverdue } from "../../domain/carrier-recovery-overdue.ts";
import { outstandingOf, statusOf } from "../../domain/carrier-recovery.ts";

/**
 * A recovery as finance reads it: what is due, received and left, by when and whether that has
 * passed (at `now`), with each receipt in the order it was booked and its reversal if any.
 */
export function recoveryViewOf(recovery: StoredRecovery, receipts: readonly StoredReceipt[], now: Date = new Date()): billingApi.CarrierRecoveryView {
  const money = (minor: number) => ({ minor, currency: recovery.currency });
  return {
    caseId: recovery.caseId,
    orderId: recovery.orderId,
    storeId: recovery.storeId,
    carrier: recovery.carrier,
    carrierReference: recovery.carrierReference,
    due: money(recovery.dueMinor),
    received: money(recovery.receivedMinor),
    outstanding: money(outstandingOf(recovery)),
    status: statusOf(recovery),
    settledAt: recovery.settledAt.toISOString(),
    receipts: receipts.map((r) => ({
      reference: r.reference,
      amount: { minor: r.amountMinor, currency: r.currency },
      receivedBy: r.receivedBy,
      receivedAt: r.receivedAt.toISOString(),
      reversal: r.reversal ? { reason: r.reversal.reason, reversedBy: r.reversal.reversedBy, reversedAt: r.reversal.reversedAt.toISOString() } : undefined,
      remittanceReference: r.remittance ?? "",
    })),
    dueBy: recovery.dueBy.toISOString(),
    overdue: isOverdue(recovery, now),
  };
}
