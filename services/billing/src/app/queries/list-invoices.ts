import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { requestedPeriod, ValidationError } from "@oms/errors";
import { invoiceRepository, type InvoiceRow } from "../../adapters/pg/invoice-repository.ts";

/** The order's invoice and its credit notes, in the order they were issued (none before it closes). */
export async function listInvoices(pool: pg.Pool, orderId: string): Promise<billingApi.InvoicesView> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  return viewOf(await invoiceRepository.listByOrder(pool, orderId));
}

/** A store's invoice register over a period of at most a year: every document issued in it, by number. */
export async function listStoreInvoices(pool: pg.Pool, request: billingApi.ListStoreInvoicesRequest): Promise<billingApi.InvoicesView> {
  const storeId = request.storeId?.trim();
  const { from, until } = requestedPeriod(request, storeId ? [] : [{ field: "storeId", message: "is required" }]);
  return viewOf(await invoiceRepository.listByStore(pool, storeId, from, until));
}

function viewOf(rows: readonly InvoiceRow[]): billingApi.InvoicesView {
  const net = rows.reduce((total, r) => total + (r.kind === "invoice" ? r.amountMinor : -r.amountMinor), 0);
  return {
    invoices: rows.map((r) => ({
      invoiceNumber: r.invoiceNumber,
      kind: r.kind,
      orderId: r.orderId,
      storeId: r.storeId,
      amount: { minor: r.amountMinor, currency: r.currency },
      tax: { minor: r.taxMinor, currency: r.currency },
      corrects: r.corrects,
      refundId: r.refundId,
      issuedAt: r.issuedAt.toISOString(),
      issuedBy: r.issuedBy,
    })),
    netTotal: { minor: net, currency: rows[0]?.currency ?? "" },
  };
}
