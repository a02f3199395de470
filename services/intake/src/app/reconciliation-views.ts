import type { billingApi } from "@oms/contracts";
import { moneyOf, type MoneyView } from "./refund-views.ts";

/** A clerk's explanation of a difference, as appended. */
export interface ExplanationView {
  explanationId: string;
  correction: string;
  note: string;
  /** "staff:<id>" */
  explainedBy: string;
  explainedAt: string;
}

/** A difference a reconciliation found between billing's money and fulfillment's order, as it now stands. */
export interface DifferenceView {
  differenceId: string;
  orderId: string;
  kind: string;
  detail: string;
  /** "open" | "explained" | "resolved-by-data" */
  state: string;
  resolvedByDataAt: string | null;
  firstFoundAt: string;
  orderStatus: string;
  amountDue: MoneyView;
  paid: MoneyView;
  refunded: MoneyView;
  explanations: ExplanationView[];
}

/** A reconciliation of a store's money against its orders over a period (ADR 023). */
export interface ReconciliationView {
  reconciliationId: string;
  storeId: string;
  period: { from: string; until: string };
  requestId: string;
  startedBy: string;
  completedAt: string;
  ordersCompared: number;
  differencesFound: number;
  openDifferences: number;
  resolvedByData: number;
  balanced: boolean;
  /** On a list, left out: ask for the run. */
  differences?: DifferenceView[];
  /** Money carriers owe the store on settled claims, for the period (ADR 017, second carrier addendum); on a list, left out. */
  carrierRecoveries?: { settled: number; due: MoneyView; receipts: number; received: MoneyView; outstanding: MoneyView; reversals: number; reversed: MoneyView };
}

export function reconciliationViewOf(view: billingApi.ReconciliationView, withDifferences = true): ReconciliationView {
  return {
    reconciliationId: view.reconciliationId,
    storeId: view.storeId,
    period: { from: view.periodFrom, until: view.periodUntil },
    requestId: view.requestId,
    startedBy: view.startedBy,
    completedAt: view.completedAt,
    ordersCompared: view.ordersCompared,
    differencesFound: view.differencesFound,
    openDifferences: view.openDifferences,
    resolvedByData: view.resolvedByData,
    balanced: view.balanced,
    ...(withDifferences ? { differences: view.differences.map(differenceViewOf) } : {}),
    ...(withDifferences && view.carrierRecoveries
      ? {
          carrierRecoveries: {
            settled: view.carrierRecoveries.settled,
            due: moneyOf(view.carrierRecoveries.due),
            receipts: view.carrierRecoveries.receipts,
            received: moneyOf(view.carrierRecoveries.received),
            outstanding: moneyOf(view.carrierRecoveries.outstanding),
            reversals: view.carrierRecoveries.reversals,
            reversed: moneyOf(view.carrierRecoveries.reversed),
          },
        }
      : {}),
  };
}

function differenceViewOf(d: billingApi.ReconciliationDifferenceView): DifferenceView {
  return {
    differenceId: d.differenceId,
    orderId: d.orderId,
    kind: d.kind,
    detail: d.detail,
    state: d.state,
    resolvedByDataAt: d.resolvedByDataAt || null,
    firstFoundAt: d.firstFoundAt,
    orderStatus: d.orderStatus,
    amountDue: moneyOf(d.amountDue),
    paid: moneyOf(d.paid),
    refunded: moneyOf(d.refunded),
    explanations: d.explanations.map((e) => ({ ...e })),
  };
}
