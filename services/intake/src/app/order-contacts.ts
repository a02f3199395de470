import type { events } from "@oms/contracts";
import { keyRingFromEnv, Sealer } from "@oms/sealing";
import { carriesContact, contactOf, withContact, withoutContact, type Contact } from "../domain/contact.ts";

export const PERSONAL_DATA_KEYS_VARIABLE = "INTAKE_PERSONAL_DATA_KEYS";

/** Intake's contacts under the keys in INTAKE_PERSONAL_DATA_KEYS (`<keyId>:<base64 32 bytes>`, newest first), or a development key. */
export function orderContactsFromEnv(env: NodeJS.ProcessEnv): { contacts: OrderContacts; development: boolean } {
  const ring = keyRingFromEnv(env, PERSONAL_DATA_KEYS_VARIABLE, "intake-personal-data");
  return { contacts: new OrderContacts(new Sealer(ring)), development: ring.source === "development" };
}

/** The sealed contact is bound to its order: moved onto another order's record, it does not open. */
const boundTo = (orderId: string) => `order:${orderId}`;

/**
 * Customers' contacts, sealed under intake's personal-data keys (INTAKE_PERSONAL_DATA_KEYS).
 * An order intake stores or publishes is always in its sealed form: the contact fields
 * empty, `sealedContact` holding them; only the people whose work needs a contact see it
 * opened (queries/get-order-contact.ts), and corrections open it to change it.
 */
export class OrderContacts {
  readonly #sealer: Sealer;

  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  get keyId(): string {
    return this.#sealer.currentKeyId;
  }

  /** A whole order (as the pre-check made it, or as a correction left it) in its sealed form. */
  seal(order: events.CanonicalOrder): events.CanonicalOrder {
    const sealedContact = this.#sealer.seal(Buffer.from(JSON.stringify(contactOf(order)), "utf8"), boundTo(order.orderId));
    return { ...withoutContact(order), sealedContact };
  }

  /** The contact of an order in its sealed form; an order stored before sealing still carries it in the clear. */
  contactOf(order: events.CanonicalOrder): Contact {
    if (order.sealedContact.length === 0) return contactOf(order);
    return JSON.parse(this.#sealer.open(order.sealedContact, boundTo(order.orderId)).toString("utf8")) as Contact;
  }

  /** The whole order again, contact included: for a correction to change it. Never stored or published so. */
  whole(order: events.CanonicalOrder): events.CanonicalOrder {
    return { ...withContact(order, this.contactOf(order)), sealedContact: Buffer.alloc(0) };
  }

  /** Any other personal data intake keeps (a correction's new and old values), sealed for the record it belongs to. */
  sealValue(value: unknown, boundTo: string): Buffer {
    return this.#sealer.seal(Buffer.from(JSON.stringify(value), "utf8"), boundTo);
  }

  openValue(sealed: Uint8Array, boundTo: string): unknown {
    return JSON.parse(this.#sealer.open(sealed, boundTo).toString("utf8"));
  }

  /** Whether the stored order still needs sealing (kept before contacts were sealed). */
  needsSealing(order: events.CanonicalOrder): boolean {
    return order.sealedContact.length === 0 && carriesContact(order);
  }
}
