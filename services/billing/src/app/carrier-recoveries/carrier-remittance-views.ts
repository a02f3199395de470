import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { carrierRemittanceRepository } from "../../adapters/pg/carrier-remittance-repository.ts";
import { recoveryViewOf } from "./recovery-views.ts";

/**
 * A remittance as finance reads it back: the transfer, and each recovery it paid as it stands
 * now (in the allocations' order, with every receipt), read in one snapshot.
 */
export async function getCarrierRemittance(pool: pg.Pool, reference: string): Promise<billingApi.CarrierRemittanceView> {
  const read = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const remittance = await carrierRemittanceRepository.find(tx, reference);
    if (!remittance) return undefined;
    const caseIds = remittance.allocations.map((a) => a.caseId);
    return { remittance, recoveries: await carrierRecoveryRepository.findAll(tx, caseIds), receipts: await carrierRecoveryRepository.receiptsOf(tx, caseIds) };
  });
  if (!read) throw new NotFoundError("carrier-remittance.unknown", `no carrier remittance under reference ${reference}`);
  const { remittance, recoveries, receipts } = read;
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
  };
}
