import type { billingApi } from "@oms/contracts";
import { moneyOf, type MoneyView } from "./refund-views.ts";

/** One assessment of a customer's credit by a finance clerk. */
export interface CreditAssessmentView {
  /** "good" | "poor" */
  rating: string;
  /** Good credit: what the customer may owe on credit at once (0 for poor credit). */
  limit: MoneyView;
  /** Good credit: the days the customer has to pay (0 for poor credit). */
  termsDays: number;
  reason: string;
  /** "staff:<id>": the clerk who assessed it. */
  assessedBy: string;
  assessedAt: string;
}

/** An on-credit order of the customer still owing something. */
export interface CreditOrderView {
  orderId: string;
  storeId: string;
  outstanding: MoneyView;
  /** "awaiting" | "approved" | "refused": billing's or a clerk's decision on its credit. */
  decision: string;
  /** When collection started on it because the customer's credit worsened; null while it has not. */
  collectionStartedAt: string | null;
}

/** A customer's credit as billing keeps it: the current assessment, what they owe on credit, their open on-credit orders, every assessment. */
export interface CustomerCreditView {
  customerId: string;
  /** null: the customer was never assessed (a finance clerk decides their on-credit orders by hand). */
  current: CreditAssessmentView | null;
  /** Owed now on the on-credit orders whose credit was granted. */
  exposure: MoneyView;
  openOrders: CreditOrderView[];
  /** Every assessment, newest first. */
  history: CreditAssessmentView[];
}

export function customerCreditViewOf(view: billingApi.CustomerCreditView): CustomerCreditView {
  return {
    customerId: view.customerId,
    // Protobuf has no null: an absent message is a never-assessed customer, an empty string no collection yet.
    current: view.current ? assessmentViewOf(view.current) : null,
    exposure: moneyOf(view.exposure),
    openOrders: view.openOrders.map((o) => ({
      orderId: o.orderId,
      storeId: o.storeId,
      outstanding: moneyOf(o.outstanding),
      decision: o.decision,
      collectionStartedAt: o.collectionStartedAt || null,
    })),
    history: view.history.map(assessmentViewOf),
  };
}

function assessmentViewOf(a: billingApi.CreditAssessmentView): CreditAssessmentView {
  return {
    rating: a.rating,
    limit: moneyOf(a.limit),
    termsDays: a.termsDays,
    reason: a.reason,
    assessedBy: a.assessedBy,
    assessedAt: a.assessedAt,
  };
}
