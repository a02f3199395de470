import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { settlementRepository } from "../../adapters/pg/settlement-repository.ts";

export async function getSettlement(pool: pg.Pool, orderId: string): Promise<billingApi.SettlementView> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  const s = await settlementRepository.findByOrder(pool, orderId);
  if (!s) throw new NotFoundError("settlement.not-found", `no settlement for order ${orderId}`);
  return {
    settlementId: s.settlementId,
    orderId: s.orderId,
    storeId: s.storeId,
    status: s.status,
    amountDue: { minor: s.amountDueMinor, currency: s.currency },
    amountPaid: { minor: s.amountPaidMinor, currency: s.currency },
    paymentMethod: s.paymentMethod,
  };
}
