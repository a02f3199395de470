import type { billingApi } from "@oms/contracts";
import { moneyOf, type MoneyView } from "./refund-views.ts";

/** A settlement dispute as staff read it (ADR 026): the statement, every department's finding and finance's resolution. */
export interface SettlementDisputeView {
  disputeId: string;
  orderId: string;
  storeId: string;
  requestId: string;
  kind: string;
  amount: MoneyView;
  statement: string;
  /** "open" | "resolved" */
  status: string;
  departments: string[];
  openedBy: string;
  openedAt: string;
  respondBy: string;
  escalatedAt: string | null;
  findings: { findingId: string; department: string; finding: string; recordedBy: string; recordedAt: string }[];
  resolution: {
    outcome: string;
    correction: string;
    refunded: MoneyView;
    refundIds: string[];
    documentNumber: string;
    creditNotes: string[];
    reason: string;
    customerAnswer: string;
    resolvedBy: string;
    resolvedAt: string;
  } | null;
}

export function settlementDisputeViewOf(d: billingApi.SettlementDisputeView): SettlementDisputeView {
  const r = d.resolution;
  return {
    disputeId: d.disputeId,
    orderId: d.orderId,
    storeId: d.storeId,
    requestId: d.requestId,
    kind: d.kind,
    amount: moneyOf(d.amount),
    statement: d.statement,
    status: d.status,
    departments: d.departments,
    openedBy: d.openedBy,
    openedAt: d.openedAt,
    respondBy: d.respondBy,
    escalatedAt: d.escalatedAt || null,
    findings: d.findings.map((f) => ({ ...f })),
    resolution: r
      ? {
          outcome: r.outcome,
          correction: r.correction,
          refunded: moneyOf(r.refunded),
          refundIds: r.refundIds,
          documentNumber: r.documentNumber,
          creditNotes: r.creditNotes,
          reason: r.reason,
          customerAnswer: r.customerAnswer,
          resolvedBy: r.resolvedBy,
          resolvedAt: r.resolvedAt,
        }
      : null,
  };
}

/**
 * What the customer reads of their dispute: its state and the answer they were given. The
 * departments' findings, finance's reasons and the staff who wrote them are the store's
 * working papers (and may name staff), not the customer's record.
 */
export function customersDisputeViewOf(d: billingApi.SettlementDisputeView): SettlementDisputeView {
  const view = settlementDisputeViewOf(d);
  return {
    ...view,
    // The desk that opened it for them is the store (ADR 022, twenty-sixth-session addendum); their own opening keeps their id.
    openedBy: view.openedBy.startsWith("staff:") ? "store" : view.openedBy,
    departments: [],
    findings: [],
    resolution: view.resolution && { ...view.resolution, reason: "", resolvedBy: "" },
  };
}
