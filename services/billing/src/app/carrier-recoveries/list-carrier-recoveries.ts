import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { nextRecoveryPageToken, recoveryPageOf } from "./recovery-pages.ts";
import { recoveryViewOf } from "./recovery-views.ts";

/** One recovery with its receipts, read in one snapshot so its total and its receipts agree. */
export async function getCarrierRecovery(pool: pg.Pool, caseId: string): Promise<billingApi.CarrierRecoveryView> {
  const read = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const recovery = await carrierRecoveryRepository.find(tx, caseId);
    return recovery ? { recovery, receipts: await carrierRecoveryRepository.receiptsOf(tx, [caseId]) } : undefined;
  });
  if (!read) throw new NotFoundError("carrier-recovery.unknown", `billing holds no money due from a carrier on case ${caseId}`);
  return recoveryViewOf(read.recovery, read.receipts);
}

/**
 * What carriers owe a store on settled claims, the earliest due-by first (the one to chase
 * first; ties by case id), a page at a time, each with its receipts; `outstandingOnly` leaves
 * out those received in full, `overdueOnly` those too and those whose due-by time is still
 * ahead. Paged rather than capped (ADR 017, twenty-fifth session): a store owed more than a page
 * read the rest as nothing; `limit` is the page size's older name.
 */
export async function listCarrierRecoveries(pool: pg.Pool, request: billingApi.ListCarrierRecoveriesRequest): Promise<billingApi.CarrierRecoveriesView> {
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  const page = recoveryPageOf(request, errors);
  if (errors.length > 0) throw new ValidationError(errors);
  // One snapshot, so each recovery's total and its receipts agree while a receipt is being booked.
  const { recoveries, receipts } = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const filter = { outstandingOnly: request.outstandingOnly, overdueOnly: request.overdueOnly };
    // One more than the page: whether a next page exists, without a count.
    const recoveries = await carrierRecoveryRepository.listByStore(tx, request.storeId, filter, page.size + 1, page.after);
    return { recoveries, receipts: await carrierRecoveryRepository.receiptsOf(tx, recoveries.slice(0, page.size).map((r) => r.caseId)) };
  });
  const shown = recoveries.slice(0, page.size);
  return {
    recoveries: shown.map((r) => recoveryViewOf(r, receipts.filter((receipt) => receipt.caseId === r.caseId))),
    nextPageToken: nextRecoveryPageToken(shown.at(-1)?.position, recoveries.length > page.size),
  };
}
