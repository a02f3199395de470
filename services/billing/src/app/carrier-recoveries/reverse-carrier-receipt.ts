import type pg from "pg";
import { EventTypes, type billingApi } from "@oms/contracts";
import { ConflictError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { carrierReversalRepository } from "../../adapters/pg/carrier-receipt-reversal-repository.ts";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { decideReversal, REVERSAL_REASON_MAX, type ReversalDecision } from "../../domain/carrier-receipt-reversal.ts";
import { chaseAfterReversal } from "../../domain/carrier-recovery-overdue.ts";
import { financeClerkOf, moneyOfRecovery, onLockedRecovery, recoveryEvent, recoveryStanding } from "./finance-on-recovery.ts";
import { getCarrierRecovery } from "./list-carrier-recoveries.ts";
import { chaseOwedAgain } from "./recovery-overdue.ts";

/**
 * A finance clerk reverses a carrier receipt booked in error (ADR 017, third carrier addendum):
 * the reversal, the recovery's lowered total and CarrierReceiptReversed in one transaction,
 * under the recovery's lock. A receipt is reversed once; its reference stays spent, so the
 * right payment is booked again under a new one. The same reversal again (a retry after a lost
 * answer) answers the recovery as it stands. A reversal leaving a recovery paid in full owing
 * again is chased as overdue anew (ADR 017, twenty-fifth session).
 */
export async function reverseCarrierReceipt(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.ReverseCarrierReceiptRequest, correlationId: string): Promise<billingApi.CarrierRecoveryView> {
  const actor = financeClerkOf(request, "only a finance clerk reverses a receipt booked from a carrier");
  const caseId = request.caseId.trim();
  const reference = request.reference.trim();
  const reason = request.reason.trim();
  const errors: FieldError[] = [];
  if (!caseId) errors.push({ field: "caseId", message: "is required" });
  if (!reference) errors.push({ field: "reference", message: "is required (the reference the receipt was booked under)" });
  if (!reason) errors.push({ field: "reason", message: "is required (why the receipt was booked in error)" });
  else if (reason.length > REVERSAL_REASON_MAX) errors.push({ field: "reason", message: `must be at most ${REVERSAL_REASON_MAX} characters` });
  if (errors.length > 0) throw new ValidationError(errors);
  const decision = await onLockedRecovery(pool, caseId, async (tx, recovery): Promise<ReversalDecision> => {
    const receipt = await carrierRecoveryRepository.receiptUnder(tx, reference);
    const decided = decideReversal(recovery, receipt, await carrierReversalRepository.reversalOf(tx, reference), reason);
    if (decided.kind !== "reverse" || !receipt) return decided;
    await carrierReversalRepository.reverse(tx, receipt, { reason, reversedBy: `staff:${actor.id}` });
    // Paid in full before, owing now: a new stretch the overdue timer chases (at once when past due).
    const chase = chaseAfterReversal(recovery, decided.receivedMinor, new Date());
    if (chase) await chaseOwedAgain(tx, recovery, chase);
    const payload = { ...recoveryStanding(recovery, decided), reference, reversed: moneyOfRecovery(recovery)(decided.amountMinor), reason, remittanceReference: "" };
    await outbox.append(tx, [recoveryEvent(EventTypes.CarrierReceiptReversed, recovery, payload, actor, correlationId)]);
    return decided;
  });
  if (decision.kind === "unknown-receipt") throw new NotFoundError("carrier-recovery.receipt-unknown", `no receipt under reference ${reference} on case ${caseId}'s recovery`);
  if (decision.kind === "already-reversed") {
    throw new ConflictError(
      "carrier-recovery.receipt-already-reversed",
      `the receipt under reference ${reference} was already reversed by ${decision.earlier.reversedBy} (${decision.earlier.reason}): a receipt is reversed once`,
    );
  }
  return getCarrierRecovery(pool, caseId);
}
