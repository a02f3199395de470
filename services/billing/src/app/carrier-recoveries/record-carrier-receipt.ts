import type pg from "pg";
import { EventTypes, newEvent, type Actor, type billingApi } from "@oms/contracts";
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, UnauthenticatedError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { decideReceipt, type ReceiptDecision } from "../../domain/carrier-recovery.ts";
import { getCarrierRecovery } from "./list-carrier-recoveries.ts";

const REFERENCE_MAX = 128;

/**
 * A finance clerk books money a carrier paid on a settled claim (ADR 017, second carrier
 * addendum): the receipt, the recovery's new total and CarrierRecoveryReceived in one
 * transaction, under the recovery's lock. Partial payments add up to at most what the carrier
 * agreed. The clerk's reference is one receipt for good: the same receipt again (a retry after a
 * lost answer) answers the recovery as it stands; the reference on another amount or another
 * case is refused, as a refund's is.
 */
export async function recordCarrierReceipt(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.RecordCarrierReceiptRequest, correlationId: string): Promise<billingApi.CarrierRecoveryView> {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") {
    throw new ForbiddenError("carrier-recovery.by-finance", "only a finance clerk books money received from a carrier");
  }
  const caseId = request.caseId.trim();
  const reference = request.reference.trim();
  const errors: FieldError[] = [];
  if (!caseId) errors.push({ field: "caseId", message: "is required" });
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) errors.push({ field: "amountMinor", message: "must be a positive integer of minor units" });
  if (!reference) errors.push({ field: "reference", message: "is required (finance's own reference of the payment; makes a retry harmless)" });
  else if (reference.length > REFERENCE_MAX) errors.push({ field: "reference", message: `must be at most ${REFERENCE_MAX} characters` });
  if (errors.length > 0) throw new ValidationError(errors);
  const actor: Actor = { kind: "staff", id: request.callerId, role: request.callerRole };
  const receipt = { amountMinor: request.amountMinor, reference };
  const decision = await retryOnConflict(() =>
    withTransaction(pool, async (tx): Promise<ReceiptDecision | undefined> => {
      const recovery = await carrierRecoveryRepository.lock(tx, caseId);
      if (!recovery) return undefined;
      const decided = decideReceipt(recovery, receipt, await carrierRecoveryRepository.receiptUnder(tx, reference));
      if (decided.kind !== "book") return decided;
      // Another recovery's receipt took the reference between the look and the write (its lock is
      // not this one's): the next attempt finds it and answers as for any reused reference.
      if (!(await carrierRecoveryRepository.book(tx, recovery, { ...receipt, receivedBy: `staff:${actor.id}` }))) {
        throw new ConflictError("db.concurrent-update", `reference ${reference} was booked meanwhile; retry`);
      }
      const money = (minor: number) => ({ minor, currency: recovery.currency });
      await outbox.append(tx, [
        newEvent(
          EventTypes.CarrierRecoveryReceived,
          {
            caseId,
            carrier: recovery.carrier,
            reference,
            received: money(decided.amountMinor),
            receivedTotal: money(decided.receivedMinor),
            due: money(recovery.dueMinor),
            status: decided.status,
          },
          { producer: "billing", orderId: recovery.orderId, storeId: recovery.storeId, actor, correlationId },
        ),
      ]);
      return decided;
    }),
  );
  if (!decision) throw new NotFoundError("carrier-recovery.unknown", `billing holds no money due from a carrier on case ${caseId} (no settled claim heard of)`);
  if (decision.kind === "reference-reused") {
    const { earlier } = decision;
    const where = earlier.caseId === caseId ? "this recovery" : `case ${earlier.caseId}'s recovery`;
    throw new ConflictError(
      "carrier-recovery.reference-reused",
      `reference ${reference} already books a receipt of ${earlier.amountMinor} on ${where}: another payment needs a reference of its own`,
    );
  }
  if (decision.kind === "reference-reversed") {
    throw new ConflictError(
      "carrier-recovery.reference-reversed",
      `reference ${reference} booked a receipt on case ${decision.earlier.caseId}'s recovery that was reversed: a reference is spent for good, book the payment under a new one`,
    );
  }
  if (decision.kind === "over-due") {
    throw new IllegalStateError(
      "carrier-recovery.more-than-owed",
      `amountMinor ${request.amountMinor} is more than the carrier still owes on case ${caseId} (${decision.outstandingMinor})`,
    );
  }
  return getCarrierRecovery(pool, caseId);
}
