import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { recoveryViewOf } from "./recovery-views.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

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
 * What carriers owe a store on settled claims, the oldest settlement first (the one to chase
 * first), each with its receipts; `outstandingOnly` leaves out those received in full,
 * `overdueOnly` those too and those whose due-by time is still ahead. `limit`
 * 1–500, 100 when 0, as the carrier claims' list.
 */
export async function listCarrierRecoveries(pool: pg.Pool, request: billingApi.ListCarrierRecoveriesRequest): Promise<billingApi.CarrierRecoveriesView> {
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(request.limit) || request.limit < 0 || request.limit > MAX_LIMIT) errors.push({ field: "limit", message: `must be 1 to ${MAX_LIMIT} (0: ${DEFAULT_LIMIT})` });
  if (errors.length > 0) throw new ValidationError(errors);
  // One snapshot, so each recovery's total and its receipts agree while a receipt is being booked.
  const { recoveries, receipts } = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const filter = { outstandingOnly: request.outstandingOnly, overdueOnly: request.overdueOnly };
    const recoveries = await carrierRecoveryRepository.listByStore(tx, request.storeId, filter, request.limit || DEFAULT_LIMIT);
    return { recoveries, receipts: await carrierRecoveryRepository.receiptsOf(tx, recoveries.map((r) => r.caseId)) };
  });
  return { recoveries: recoveries.map((r) => recoveryViewOf(r, receipts.filter((receipt) => receipt.caseId === r.caseId))) };
}
