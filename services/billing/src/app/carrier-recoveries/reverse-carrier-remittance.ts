import type pg from "pg";
import { EventTypes, type billingApi } from "@oms/contracts";
import { ConflictError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { carrierReversalRepository } from "../../adapters/pg/carrier-receipt-reversal-repository.ts";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { carrierRemittanceRepository } from "../../adapters/pg/carrier-remittance-repository.ts";
import { REVERSAL_REASON_MAX } from "../../domain/carrier-receipt-reversal.ts";
import { chaseAfterReversal } from "../../domain/carrier-recovery-overdue.ts";
import { decideRemittanceReversal, type RemittanceReversalDecision } from "../../domain/carrier-remittance-reversal.ts";
import { getCarrierRemittance, unknownRemittance } from "./carrier-remittance-views.ts";
import { financeClerkOf, moneyOfRecovery, recoveryEvent, recoveryStanding } from "./finance-on-recovery.ts";
import { chaseOwedAgain } from "./recovery-overdue.ts";

/**
 * A finance clerk reverses a whole carrier remittance booked in error (ADR 017, twenty-sixth
 * session): the remittance's reversal and every allocation's receipt reversed as a single receipt
 * is — its reversal row, its recovery's lowered total, CarrierReceiptReversed, and the overdue
 * chase of a recovery left owing again — in one transaction under every allocation's recovery
 * lock, or nothing. The same reversal again answers the remittance as it stands.
 */
export async function reverseCarrierRemittance(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.ReverseCarrierRemittanceRequest, correlationId: string): Promise<billingApi.CarrierRemittanceView> {
  const actor = financeClerkOf(request, "only a finance clerk reverses a remittance booked from a carrier");
  const reference = request.reference.trim();
  const reason = request.reason.trim();
  const errors: FieldError[] = [];
  if (!reference) errors.push({ field: "reference", message: "is required (the reference the remittance was booked under)" });
  if (!reason) errors.push({ field: "reason", message: "is required (why the transfer was booked in error)" });
  else if (reason.length > REVERSAL_REASON_MAX) errors.push({ field: "reason", message: `must be at most ${REVERSAL_REASON_MAX} characters` });
  if (errors.length > 0) throw new ValidationError(errors);
  const reversedBy = `staff:${actor.id}`;
  const decision = await retryOnConflict(() =>
    withTransaction(pool, async (tx): Promise<RemittanceReversalDecision | { kind: "unknown" }> => {
      const booked = await carrierRemittanceRepository.find(tx, reference);
      if (!booked) return { kind: "unknown" };
      // The recoveries first, in case order, then the reference: as booking and single reversals take them.
      const recoveries = await carrierRecoveryRepository.lockAll(tx, booked.allocations.map((a) => a.caseId));
      await carrierRemittanceRepository.lockReference(tx, reference);
      const allocations = await carrierRemittanceRepository.allocationsOf(tx, reference);
      const decided = decideRemittanceReversal(allocations, recoveries, await carrierRemittanceRepository.reversalOf(tx, reference), reason);
      if (decided.kind !== "reverse") return decided;
      await carrierRemittanceRepository.recordReversal(tx, reference, { reason, reversedBy });
      const now = new Date();
      const events = [];
      for (const [i, reversal] of decided.reversals.entries()) {
        const recovery = recoveries.get(reversal.caseId)!;
        await carrierReversalRepository.reverse(tx, allocations[i]!, { reason, reversedBy });
        // Paid in full before, owing now: a new stretch the overdue timer chases, as after a single reversal.
        const chase = chaseAfterReversal(recovery, reversal.receivedMinor, now);
        if (chase) await chaseOwedAgain(tx, recovery, chase);
        const payload = { ...recoveryStanding(recovery, reversal), reference: reversal.reference, reversed: moneyOfRecovery(recovery)(reversal.amountMinor), reason, remittanceReference: reference };
        events.push(recoveryEvent(EventTypes.CarrierReceiptReversed, recovery, payload, actor, correlationId));
      }
      await outbox.append(tx, events);
      return decided;
    }),
  );
  refuseUnreversed(decision, reference);
  return getCarrierRemittance(pool, reference);
}

function refuseUnreversed(decision: RemittanceReversalDecision | { kind: "unknown" }, reference: string): void {
  switch (decision.kind) {
    case "unknown":
      throw unknownRemittance(reference);
    case "already-reversed":
      throw new ConflictError(
        "carrier-remittance.already-reversed",
        `remittance ${reference} was already reversed by ${decision.earlier.reversedBy} (${decision.earlier.reason}): a remittance is reversed once`,
      );
    case "allocation-reversed": {
      const which = decision.allocations.map((a) => `allocations[${a.place - 1}] (case ${a.caseId}, receipt ${a.reference})`).join(", ");
      throw new ConflictError(
        "carrier-remittance.allocation-reversed",
        `nothing reversed: ${which} of remittance ${reference} was reversed on its own; reverse the rest one by one, as receipts`,
      );
    }
    case "reverse":
    case "repeat":
      return;
    default: {
      const never: never = decision;
      return never;
    }
  }
}
