import type pg from "pg";
import { EventTypes, type billingApi } from "@oms/contracts";
import { ConflictError, IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { carrierRecoveryRepository, type StoredRecovery } from "../../adapters/pg/carrier-recovery-repository.ts";
import { carrierRemittanceRepository } from "../../adapters/pg/carrier-remittance-repository.ts";
import { decideReceipt, mayDescribeSpent, spentOnName, type ReceiptDecision } from "../../domain/carrier-recovery.ts";
import { typedReferenceFault } from "../../domain/carrier-remittance.ts";
import { financeClerkOf, moneyOfRecovery, onLockedRecovery, recoveryEvent, recoveryStanding } from "./finance-on-recovery.ts";
import { getCarrierRecovery } from "./list-carrier-recoveries.ts";

export const REFERENCE_MAX = 128;

/**
 * A finance clerk books money a carrier paid on a settled claim (ADR 017, second carrier
 * addendum): the receipt, the recovery's new total and CarrierRecoveryReceived in one
 * transaction, under the recovery's lock. Partial payments add up to at most what the carrier
 * agreed. The clerk's reference is one receipt for good: the same receipt again (a retry after a
 * lost answer) answers the recovery as it stands; the reference on another amount or another
 * case is refused, as a refund's is.
 */
export async function recordCarrierReceipt(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.RecordCarrierReceiptRequest, correlationId: string): Promise<billingApi.CarrierRecoveryView> {
  const actor = financeClerkOf(request, "only a finance clerk books money received from a carrier");
  const caseId = request.caseId.trim();
  const reference = request.reference.trim();
  const errors: FieldError[] = [];
  if (!caseId) errors.push({ field: "caseId", message: "is required" });
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) errors.push({ field: "amountMinor", message: "must be a positive integer of minor units" });
  if (!reference) errors.push({ field: "reference", message: "is required (finance's own reference of the payment; makes a retry harmless)" });
  else if (reference.length > REFERENCE_MAX) errors.push({ field: "reference", message: `must be at most ${REFERENCE_MAX} characters` });
  else if (typedReferenceFault(reference)) errors.push({ field: "reference", message: typedReferenceFault(reference)! });
  if (errors.length > 0) throw new ValidationError(errors);
  const receipt = { amountMinor: request.amountMinor, reference };
  const { decision, spentOn } = await onLockedRecovery(pool, caseId, async (tx, recovery): Promise<{ decision: ReceiptDecision; spentOn: SpentOn }> => {
    const decided = await book(tx, recovery);
    // Named and described only as the caller may see it: the gateway held them to this case's store, no other.
    const yours = { caseIds: [caseId], storeIds: new Set([recovery.storeId]) };
    if (decided.kind === "reference-of-remittance") {
      return { decision: decided, spentOn: { name: "", described: mayDescribeSpent(await carrierRemittanceRepository.storesOf(tx, reference), yours) } };
    }
    if (decided.kind !== "reference-reused" && decided.kind !== "reference-reversed") return { decision: decided, spentOn: { name: "", described: false } };
    const { caseId: earlierCase } = decided.earlier;
    const spentOnStore = await carrierRecoveryRepository.storeOf(tx, earlierCase);
    return { decision: decided, spentOn: { name: spentOnName({ caseId: earlierCase, storeId: spentOnStore }, yours), described: mayDescribeSpent([spentOnStore], yours) } };
  });
  refuseUnbooked(decision, spentOn, caseId, reference, request.amountMinor);
  return getCarrierRecovery(pool, caseId);

  async function book(tx: pg.PoolClient, recovery: StoredRecovery): Promise<ReceiptDecision> {
    // Receipts and remittances keep their references in two tables: the reference is held while both are looked at.
    await carrierRemittanceRepository.lockReference(tx, reference);
    const remittance = await carrierRemittanceRepository.find(tx, reference);
    const decided = decideReceipt(recovery, receipt, await carrierRecoveryRepository.receiptUnder(tx, reference), remittance);
    if (decided.kind !== "book") return decided;
    // Another recovery's receipt took the reference between the look and the write (its lock is
    // not this one's): the next attempt finds it and answers as for any reused reference.
    if (!(await carrierRecoveryRepository.book(tx, recovery, { ...receipt, receivedBy: `staff:${actor.id}` }))) {
      throw new ConflictError("db.concurrent-update", `reference ${reference} was booked meanwhile; retry`);
    }
    // Booked alone: no remittance (ADR 017, twenty-fifth session).
    const payload = { ...recoveryStanding(recovery, decided), reference, received: moneyOfRecovery(recovery)(decided.amountMinor), remittanceReference: "" };
    await outbox.append(tx, [recoveryEvent(EventTypes.CarrierRecoveryReceived, recovery, payload, actor, correlationId)]);
    return decided;
  }
}

/** How a refusal may speak of the payment that spent the reference: its claim's name, and whether more (amount, carrier) may be told. */
interface SpentOn {
  name: string;
  described: boolean;
}

/** The receipt's refusals, each its own domain decision: a reference spent otherwise, or more than owed. */
function refuseUnbooked(decision: ReceiptDecision, spentOn: SpentOn, caseId: string, reference: string, amountMinor: number): void {
  const where = spentOn.name;
  if (decision.kind === "reference-reused") {
    const { earlier } = decision;
    const booked = earlier.remittance ? `an allocation of remittance ${earlier.remittance}` : "a receipt";
    throw new ConflictError(
      "carrier-recovery.reference-reused",
      spentOn.described
        ? `reference ${reference} already books ${booked} of ${earlier.amountMinor} on ${where}: another payment needs a reference of its own`
        : `reference ${reference} already books a payment on ${where}: another payment needs a reference of its own`,
    );
  }
  if (decision.kind === "reference-reversed") {
    throw new ConflictError(
      "carrier-recovery.reference-reversed",
      `reference ${reference} booked a receipt on ${where} that was reversed: a reference is spent for good, book the payment under a new one`,
    );
  }
  if (decision.kind === "reference-of-remittance") {
    throw new ConflictError(
      "carrier-recovery.reference-reused",
      spentOn.described
        ? `reference ${reference} already books a remittance of ${decision.remittance.carrier}: another payment needs a reference of its own`
        : `reference ${reference} already books a remittance paying a claim of another store: another payment needs a reference of its own`,
    );
  }
  if (decision.kind === "over-due") {
    throw new IllegalStateError("carrier-recovery.more-than-owed", `amountMinor ${amountMinor} is more than the carrier still owes on case ${caseId} (${decision.outstandingMinor})`);
  }
}
