import type { events } from "@oms/contracts";

/**
 * What of an order names and reaches a person (DOMAIN.md, Information security): sealed at
 * rest and on the topics, opened only for those whose work needs it. The customer's id, VIP
 * mark, city, district and country are not in it: routing, review and the regional reports
 * work on them, and none of them reaches a person alone.
 */
export interface Contact {
  name: string;
  phone: string;
  email: string;
  line1: string;
  line2: string;
  postalCode: string;
}

export function contactOf(order: events.CanonicalOrder): Contact {
  const customer = order.customer;
  const address = customer?.address;
  return {
    name: customer?.name ?? "",
    phone: customer?.phone ?? "",
    email: customer?.email ?? "",
    line1: address?.line1 ?? "",
    line2: address?.line2 ?? "",
    postalCode: address?.postalCode ?? "",
  };
}

/** The order with its contact left out: what may be stored and published in the clear. */
export function withoutContact(order: events.CanonicalOrder): events.CanonicalOrder {
  return withContact(order, { name: "", phone: "", email: "", line1: "", line2: "", postalCode: "" });
}

export function withContact(order: events.CanonicalOrder, contact: Contact): events.CanonicalOrder {
  const customer = order.customer ?? { customerId: "", name: "", phone: "", email: "", address: undefined, vip: false };
  const address = customer.address && { ...customer.address, line1: contact.line1, line2: contact.line2, postalCode: contact.postalCode };
  return { ...order, customer: { ...customer, name: contact.name, phone: contact.phone, email: contact.email, address } };
}

/** True when the order still carries any of its contact in the clear (a row stored before contacts were sealed). */
export function carriesContact(order: events.CanonicalOrder): boolean {
  return Object.values(contactOf(order)).some((value) => value !== "");
}
