import type { billingApi } from "@oms/contracts";

/** What an order owes and what has been paid, in minor units of one currency. */
export interface SettlementView {
  settlementId: string;
  orderId: string;
  storeId: string;
  /** "awaiting-payment" | "paid" */
  status: string;
  currency: string;
  amountDueMinor: number;
  amountPaidMinor: number;
  outstandingMinor: number;
  paymentMethod: string;
}

export function settlementViewOf(view: billingApi.SettlementView): SettlementView {
  const due = view.amountDue?.minor ?? 0;
  const paid = view.amountPaid?.minor ?? 0;
  return {
    settlementId: view.settlementId,
    orderId: view.orderId,
    storeId: view.storeId,
    status: view.status,
    currency: view.amountDue?.currency || view.amountPaid?.currency || "",
    amountDueMinor: due,
    amountPaidMinor: paid,
    outstandingMinor: Math.max(0, due - paid),
    paymentMethod: view.paymentMethod,
  };
}
