import { NotFoundError } from "@oms/errors";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { customersOwnOrder } from "../own-order.ts";
import { invoicesViewOf, type InvoicesView } from "../invoice-views.ts";
import type { PermittedContext } from "../request-context.ts";

/** A period of at most a year, and where in it the page starts (after a document number) and how long it is. */
export interface RegisterPage {
  from: string;
  until: string;
  after?: number;
  limit?: number;
}

/**
 * The order's invoice and its credit notes, from billing, in the order they were issued
 * (none before finance closes the order). Staff read them by role; a customer only their
 * own order's, checked before billing is asked.
 */
export async function listInvoices(deps: SettlementDeps, context: PermittedContext<"list-invoices">, orderId: string): Promise<InvoicesView> {
  const accepted = context.caller.kind === "customer" ? await customersOwnOrder(deps.pool, context.caller, orderId) : undefined;
  const view = invoicesViewOf(await deps.billing.listInvoices(orderId, context.correlationId));
  // Billing answers an order it has not invoiced and one that does not exist alike, with no
  // documents; intake's own record tells the two apart (404 order.not-found for the latter).
  if (view.invoices.length === 0 && !(accepted ?? (await orderRepository.findById(deps.pool, orderId)))) {
    throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  }
  return view;
}

/** A page of a store's invoice register over a period of at most a year: the invoices and credit notes issued in it, by number. */
export async function listStoreInvoices(
  deps: SettlementDeps,
  context: PermittedContext<"view-invoice-register">,
  storeId: string,
  page: RegisterPage,
): Promise<InvoicesView & { nextAfter: number }> {
  const view = await deps.billing.listStoreInvoices(storeId, page, context.correlationId);
  return { ...invoicesViewOf(view), nextAfter: view.nextAfterNumber };
}
