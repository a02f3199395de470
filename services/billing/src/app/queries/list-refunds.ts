import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { refundRepository } from "../../adapters/pg/refund-repository.ts";
import { paidTotalOf, refundedTotalOf } from "../../domain/refund.ts";

/** What was paid on the order and every refund of it, oldest first. */
export async function listRefunds(pool: pg.Pool, orderId: string): Promise<billingApi.RefundsView> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  // One snapshot, so the totals and the list agree even while a refund is being issued.
  const { stored, refunds } = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return { stored: await refundRepository.findAccount(tx, orderId), refunds: await refundRepository.listByOrder(tx, orderId) };
  });
  if (!stored) throw new NotFoundError("refund.order-unknown", `billing knows no payment of order ${orderId}`);
  const { account } = stored;
  return {
    orderId,
    paidTotal: { minor: paidTotalOf(account), currency: account.currency },
    refundedTotal: { minor: refundedTotalOf(account), currency: account.currency },
    refunds: refunds.map((r) => ({
      refundId: r.refundId,
      amount: { minor: r.amountMinor, currency: r.currency },
      method: r.method,
      reason: r.reason,
      trigger: r.trigger,
      source: r.source,
      reference: r.reference,
      issuedBy: r.issuedBy,
      issuedAt: r.issuedAt.toISOString(),
    })),
  };
}
