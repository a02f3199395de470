import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { carrierRemittanceRepository, type StoredAllocation } from "../../adapters/pg/carrier-remittance-repository.ts";
import { recoveryViewOf } from "./recovery-views.ts";

/** How a remittance's absence is told, word for word wherever it is (the gateway answers a remittance out of a clerk's stores so too). */
export const unknownRemittance = (reference: string) => new NotFoundError("carrier-remittance.unknown", `no carrier remittance under reference ${reference}`);

/** finance's (or an auditor's) read of one remittance by its reference (ADR 017, twenty-sixth session). */
export async function readCarrierRemittance(pool: pg.Pool, request: billingApi.GetCarrierRemittanceRequest): Promise<billingApi.CarrierRemittanceView> {
  const reference = request.reference.trim();
  if (!reference) throw new ValidationError([{ field: "reference", message: "is required (the reference the remittance was booked under)" }]);
  return getCarrierRemittance(pool, reference);
}

/**
 * A remittance as finance reads it back: the transfer, each allocation in its place with its
 * receipt's state, its reversal when reversed whole, and each recovery it paid as it stands now
 * (in the allocations' order, with every receipt), read in one snapshot.
 */
export async function getCarrierRemittance(pool: pg.Pool, reference: string): Promise<billingApi.CarrierRemittanceView> {
  const read = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const remittance = await carrierRemittanceRepository.find(tx, reference);
    if (!remittance) return undefined;
    const caseIds = remittance.allocations.map((a) => a.caseId);
    return {
      remittance,
      allocations: await carrierRemittanceRepository.allocationsOf(tx, reference),
      reversal: await carrierRemittanceRepository.reversalOf(tx, reference),
      recoveries: await carrierRecoveryRepository.findAll(tx, caseIds),
      receipts: await carrierRecoveryRepository.receiptsOf(tx, caseIds),
    };
  });
  if (!read) throw unknownRemittance(reference);
  const { remittance, allocations, reversal, recoveries, receipts } = read;
  return {
    reference: remittance.reference,
    carrier: remittance.carrier,
    total: { minor: remittance.totalMinor, currency: remittance.currency },
    bookedBy: remittance.bookedBy,
    bookedAt: remittance.bookedAt.toISOString(),
    recoveries: remittance.allocations.flatMap(({ caseId }) => {
      const recovery = recoveries.get(caseId);
      return recovery ? [recoveryViewOf(recovery, receipts.filter((r) => r.caseId === caseId))] : [];
    }),
    allocations: allocations.map(allocationViewOf),
    reversal: reversal ? { reason: reversal.reason, reversedBy: reversal.reversedBy, reversedAt: reversal.reversedAt.toISOString() } : undefined,
  };
}

function allocationViewOf(allocation: StoredAllocation): billingApi.CarrierRemittanceAllocationView {
  const { reversal } = allocation;
  return {
    place: allocation.place,
    caseId: allocation.caseId,
    storeId: allocation.storeId,
    receiptReference: allocation.reference,
    amount: { minor: allocation.amountMinor, currency: allocation.currency },
    reversal: reversal ? { reason: reversal.reason, reversedBy: reversal.reversedBy, reversedAt: reversal.reversedAt.toISOString() } : undefined,
  };
}
