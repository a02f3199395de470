import type { FastifyInstance } from "fastify";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { listInvoices, listStoreInvoices } from "../../app/queries/list-invoices.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { InvoiceRegisterQuerySchema } from "./invoice-schemas.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/** Invoices and credit notes, asked of billing: an order's (its customer reads them too), and a store's register. */
export function registerInvoiceRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  app.get("/v1/orders/:orderId/invoices", roleFirst("list-invoices"), async (request) => {
    const context = permittedContextOf(request, "list-invoices");
    return listInvoices(deps, context, orderIdOf(request));
  });

  // The gateway names a missing or malformed bound; billing, the period's owner, refuses one backwards or over a year.
  app.get("/v1/stores/:storeId/invoices", roleFirst("view-invoice-register"), async (request) => {
    const context = permittedContextOf(request, "view-invoice-register");
    const storeId = storeIdOf(request);
    const period = parseOrRefuse(InvoiceRegisterQuerySchema, request.query, "query");
    return listStoreInvoices(deps, context, storeId, period);
  });
}
