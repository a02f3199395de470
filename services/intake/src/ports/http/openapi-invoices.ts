import { permissions } from "../../domain/permissions.ts";
import { common, forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";
import { InvoiceRegisterQuerySchema, InvoicesViewSchema } from "./invoice-schemas.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");

/** Invoices and credit notes, asked of billing's SettlementQuery. */
export function invoicePaths() {
  const list = permissions["list-invoices"].who;
  const register = permissions["view-invoice-register"].who;
  return {
    "/v1/orders/{orderId}/invoices": {
      get: {
        operationId: "listInvoices",
        summary: "The order's invoice and its credit notes",
        description:
          "Billing's ListInvoices: the order is invoiced once, when finance closes it, for the money it kept; a refund after that is a credit note " +
          `against the invoice. In the order they were issued; none before the order closes. Who: ${list}.`,
        parameters: orderParameters,
        responses: {
          "200": ok("The order's invoice and credit notes (none yet, before it closes).", "Invoices"),
          "403": forbidden(list),
          "404": problem("No such order (order.not-found), or (to a customer) another customer's, answered alike."),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/invoices": {
      get: {
        operationId: "listStoreInvoices",
        summary: "A store's invoice register over a period",
        description:
          "Billing's ListStoreInvoices: every invoice and credit note the store issued in [from, until), by number, a page at a time " +
          `(limit, default 500; the next page with after=nextAfter until nextAfter is 0). Who: ${register}.`,
        parameters: [storeParameters[0], ...queryParametersOf(InvoiceRegisterQuerySchema), ...common],
        responses: {
          "200": ok("The register.", "Invoices"),
          "400": problem("No period, until not after from, a period over 366 days, or a page over 1,000, one message per field."),
          "403": forbidden(register),
          "503": unavailable,
        },
      },
    },
  };
}

export const invoiceSchemas = () => ({ Invoices: jsonSchemaOf(InvoicesViewSchema, "output") });
