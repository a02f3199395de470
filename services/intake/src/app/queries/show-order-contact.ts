import type pg from "pg";
import { NotFoundError } from "@oms/errors";
import { logPageSizeOf, logPositionOfToken, withTransaction } from "@oms/postgres";
import { contactDisclosureRepository, type ContactDisclosure } from "../../adapters/pg/contact-disclosure-repository.ts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { customersOwnOrder } from "../own-order.ts";
import type { OrderContacts } from "../order-contacts.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

export interface ContactDeps {
  pool: pg.Pool;
  contacts: OrderContacts;
}

/** How to reach the customer of an order: what a rider, a clerk or the desk is shown. */
export interface OrderContactView {
  orderId: string;
  name: string;
  phone: string;
  email: string;
  address: { line1: string; line2: string; postalCode: string; district: string; city: string; country: string };
}

/**
 * An order's contact, opened for someone whose work needs it and logged as shown in the
 * same transaction: a showing that cannot be logged is not given. A customer is shown only
 * their own order's. The log names who and when, never what they saw.
 */
export async function showOrderContact(deps: ContactDeps, context: PermittedContext<"view-contact">, orderId: string): Promise<OrderContactView> {
  const view = await withTransaction(deps.pool, async (tx) => {
    const { caller } = context;
    // Another customer's order is answered as unknown, before anything is opened or logged.
    const order = caller.kind === "customer" ? await customersOwnOrder(tx, caller, orderId) : await orderRepository.findById(tx, orderId);
    if (!order) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
    const contact = deps.contacts.contactOf(order.canonical);
    await contactDisclosureRepository.record(tx, { orderId, shownTo: actorLabel(caller), role: caller.role, correlationId: context.correlationId });
    const address = order.canonical.customer?.address;
    return {
      orderId,
      name: contact.name,
      phone: contact.phone,
      email: contact.email,
      address: { line1: contact.line1, line2: contact.line2, postalCode: contact.postalCode, district: address?.district ?? "", city: address?.city ?? "", country: address?.country ?? "" },
    };
  });
  context.logger.info({ orderId, shownTo: actorLabel(context.caller) }, "customer contact shown");
  return view;
}

/**
 * Who was shown an order's contact, oldest first, a page at a time (0 as the size: the default
 * page); 404 for an order intake does not have, a page token this log did not give refused.
 */
export async function listContactDisclosures(
  deps: Pick<ContactDeps, "pool">,
  orderId: string,
  page: { pageSize: number; pageToken: string },
): Promise<{ disclosures: ContactDisclosure[]; nextPageToken: string }> {
  const size = logPageSizeOf(page.pageSize, "pageSize");
  const after = logPositionOfToken(page.pageToken, "pageToken");
  if (!(await orderRepository.findById(deps.pool, orderId))) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  return contactDisclosureRepository.listForOrder(deps.pool, orderId, size, after);
}
