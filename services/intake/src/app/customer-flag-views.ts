import type pg from "pg";
import { DomainError } from "@oms/errors";
import type { FlaggedCustomerRecord, FlaggedCustomers } from "../adapters/pg/flagged-customer-repository.ts";
import { flagKeyKindOf, storedFlagKeyOf, type FlagKeyKind, type FlaggedContact } from "../domain/customer-flag.ts";
import type { CustomerMatching } from "./customer-matching.ts";
import type { OrderContacts } from "./order-contacts.ts";

/** What the flag use cases need: the table, the in-memory copy the order path reads (to refresh on a change), matching and sealing. */
export interface CustomerFlagDeps {
  pool: pg.Pool;
  flaggedCustomers: FlaggedCustomers;
  /** Digests a flag's phone or e-mail into its key (INTAKE_CUSTOMER_MATCHING_KEY). */
  matching: CustomerMatching;
  /** Seals the phone or e-mail beside the key, and opens it for the reviewers who list flags. */
  contacts: OrderContacts;
  /** Injected in tests; the wall clock otherwise. */
  now?: () => Date;
}

/**
 * A flag as reviewers and store managers see it. `customerKey` names the flag (a customer id or
 * a digest, never a contact); the phone or e-mail is opened from its seal for them, since they
 * must know whom they flagged — in full to staff working chain-wide and to staff of the store
 * that raised it, masked (`contactMasked`) to staff held to other stores (domain/flag-visibility.ts).
 */
export interface CustomerFlagView {
  customerKey: string;
  by: FlagKeyKind | "unknown";
  customerId?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  /** True when `phone` or `email` is masked: the caller may know the flag exists, not whom it names. */
  contactMasked?: true | undefined;
  /** The store whose staff raised the flag; absent for a chain-level flag or one older than stores on flags. */
  raisedAtStore?: string | undefined;
  reason: string;
  flaggedBy?: string | undefined;
  flaggedAt: string;
}

/** The sealed contact is bound to its flag's key: moved onto another flag's row, it does not open. */
export const flagContactBoundTo = (customerKey: string) => `customer-flag:${customerKey}`;

/** A flag's view, with its contact when the caller gave it or it was opened for them (undefined: not shown), masked when `masked`. */
export function customerFlagViewOf(flag: FlaggedCustomerRecord, contact: FlaggedContact | undefined, masked = false): CustomerFlagView {
  const stored = storedFlagKeyOf(flag.customerKey);
  return {
    customerKey: flag.customerKey,
    by: flagKeyKindOf(flag.customerKey),
    customerId: stored.form === "customer-id" ? stored.customerId : undefined,
    phone: contact && "phone" in contact ? contact.phone : undefined,
    email: contact && "email" in contact ? contact.email : undefined,
    contactMasked: contact && masked ? true : undefined,
    raisedAtStore: flag.raisedAtStore,
    reason: flag.reason,
    flaggedBy: flag.flaggedBy,
    flaggedAt: flag.flaggedAt.toISOString(),
  };
}

/**
 * The phone or e-mail sealed beside a flag's key, or undefined when it cannot be opened: sealed
 * under a personal-data key this process no longer holds (ADR 024: a key removed too early),
 * or not bound to this key. The flag itself still holds; only whom it names is not shown.
 */
export function openedFlagContact(contacts: OrderContacts, flag: { customerKey: string; sealedContact: Buffer | undefined }): FlaggedContact | undefined {
  if (!flag.sealedContact) return undefined;
  try {
    return contacts.openValue(flag.sealedContact, flagContactBoundTo(flag.customerKey)) as FlaggedContact;
  } catch (error) {
    if (error instanceof DomainError && error.code.startsWith("sealing.")) return undefined;
    throw error;
  }
}
