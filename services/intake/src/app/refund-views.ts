import type { billingApi } from "@oms/contracts";

/** An amount of money in minor units, with its currency. */
export interface MoneyView {
  minor: number;
  currency: string;
}

/** What was paid on an order and every refund of it, oldest first. */
export interface RefundsView {
  orderId: string;
  paidTotal: MoneyView;
  refundedTotal: MoneyView;
  refunds: {
    refundId: string;
    amount: MoneyView;
    method: string;
    reason: string;
    trigger: string;
    source: string;
    reference: string;
    issuedBy: string;
    issuedAt: string;
  }[];
}

export const moneyOf = (money: { minor: number; currency: string } | undefined): MoneyView => ({ minor: money?.minor ?? 0, currency: money?.currency ?? "" });

export function refundsViewOf(view: billingApi.RefundsView): RefundsView {
  return {
    orderId: view.orderId,
    paidTotal: moneyOf(view.paidTotal),
    refundedTotal: moneyOf(view.refundedTotal),
    refunds: view.refunds.map((r) => ({
      refundId: r.refundId,
      amount: moneyOf(r.amount),
      method: r.method,
      reason: r.reason,
      trigger: r.trigger,
      source: r.source,
      reference: r.reference,
      issuedBy: r.issuedBy,
      issuedAt: r.issuedAt,
    })),
  };
}
