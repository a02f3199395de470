import type { billingApi } from "@oms/contracts";
import { moneyOf, type MoneyView } from "./refund-views.ts";

/** One invoice or credit note as billing issued it. */
export interface InvoiceView {
  /** "<store>-000042": the store's series, without a gap. */
  invoiceNumber: string;
  /** "invoice" | "credit-note" */
  kind: string;
  orderId: string;
  storeId: string;
  amount: MoneyView;
  /** The tax within the amount. */
  tax: MoneyView;
  /** A credit note: the number of the invoice it corrects, and the refund it records ("" on an invoice). */
  corrects: string;
  refundId: string;
  issuedAt: string;
  /** "staff:<id>" or "system:billing": who caused it. */
  issuedBy: string;
}

/** Invoices and credit notes (an order's, or a store's register), with what they add up to. */
export interface InvoicesView {
  invoices: InvoiceView[];
  /** Invoiced less credited, over the documents listed. */
  netTotal: MoneyView;
}

export function invoicesViewOf(view: billingApi.InvoicesView): InvoicesView {
  return {
    invoices: view.invoices.map((i) => ({
      invoiceNumber: i.invoiceNumber,
      kind: i.kind,
      orderId: i.orderId,
      storeId: i.storeId,
      amount: moneyOf(i.amount),
      tax: moneyOf(i.tax),
      corrects: i.corrects,
      refundId: i.refundId,
      issuedAt: i.issuedAt,
      issuedBy: i.issuedBy,
    })),
    netTotal: moneyOf(view.netTotal),
  };
}
