import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { requestedPeriod, ValidationError, type FieldError } from "@oms/errors";
import { invoiceRepository, type InvoiceRow } from "../../adapters/pg/invoice-repository.ts";

/** The order's invoice and its credit notes, in the order they were issued (none before it closes). */
export async function listInvoices(pool: pg.Pool, orderId: string): Promise<billingApi.InvoicesView> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  return { ...viewOf(await invoiceRepository.listByOrder(pool, orderId)), nextAfterNumber: 0 };
}

const defaultPage = 500;
const largestPage = 1_000;

/**
 * A store's invoice register over a period of at most a year: every document issued in it,
 * by number, a page at a time (a year of a busy store is more than one answer may carry).
 */
export async function listStoreInvoices(pool: pg.Pool, request: billingApi.ListStoreInvoicesRequest): Promise<billingApi.InvoicesView> {
  const storeId = request.storeId?.trim();
  const fields: FieldError[] = storeId ? [] : [{ field: "storeId", message: "is required" }];
  const afterNumber = Number(request.afterNumber ?? 0);
  const limit = request.limit || defaultPage;
  if (!Number.isSafeInteger(afterNumber) || afterNumber < 0) fields.push({ field: "afterNumber", message: "must be a whole number, 0 or more" });
  if (!Number.isInteger(limit) || limit < 1 || limit > largestPage) fields.push({ field: "limit", message: `must be between 1 and ${largestPage}` });
  const { from, until } = requestedPeriod(request, fields);
  // One more than asked: whether another page follows.
  const rows = await invoiceRepository.listByStore(pool, { storeId, from, until, afterNumber, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { ...viewOf(page), nextAfterNumber: rows.length > limit ? page[page.length - 1]!.number : 0 };
}

function viewOf(rows: readonly InvoiceRow[]): Omit<billingApi.InvoicesView, "nextAfterNumber"> {
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
