import { ValidationError } from "@oms/errors";
import { isPlausibleEmail, isPlausiblePhone } from "./pre-check.ts";

/**
 * Flagged customers (DOMAIN.md, Intake: orders of doubtful customers go to manual review).
 * A flag names the customer the way an order does: by customer id, phone or e-mail, under
 * the same key `customerKeysOf` (domain/review.ts) derives from each order's customer, so a
 * phone flagged as "+86 138-0013-8000" holds for an order giving "+86 138 0013 8000".
 *
 * A phone or an e-mail is personal data (ADR 024, addendum): its key is a keyed digest of the
 * normalised value (`phone-digest:<hex>`), computed behind a port (`ContactDigestOf`) that holds
 * intake's matching key, so the table can be matched against without holding the contact. The
 * contact itself is sealed beside the key for the reviewers who list flags. A customer id is
 * not personal data and stays `id:<customerId>`.
 */
export type FlaggedCustomerRef = { by: "customerId"; customerId: string } | { by: "phone"; phone: string } | { by: "email"; email: string };

export type FlagKeyKind = FlaggedCustomerRef["by"];

export type ContactKind = "phone" | "email";

/** The matching port: a keyed digest (lower-case hex of HMAC-SHA-256) of a normalised contact of a kind. */
export type ContactDigestOf = (kind: ContactKind, normalised: string) => string;

/** The contact sealed beside a digest key: as the reviewer wrote it (or, for flags older than digests, as the key held it). */
export type FlaggedContact = { phone: string } | { email: string };

/** Only the digits of a phone count: "+86 138-0013-8000" and "+86 138 0013 8000" are one customer. */
export const phoneDigitsOf = (phone: string): string => phone.replace(/\D/g, "");

/** E-mail addresses are compared without case or surrounding spaces. */
export const emailForMatchingOf = (email: string): string => email.trim().toLowerCase();

const digestKeyPattern = /^(phone|email)-digest:[0-9a-f]{64}$/;

/** The flag key of a normalised contact under the matching key behind `digestOf`. */
export function digestKeyOf(kind: ContactKind, normalised: string, digestOf: ContactDigestOf): string {
  return `${kind}-digest:${digestOf(kind, normalised)}`;
}

/** The flagged_customers key of a customer, e.g. "id:c-42" or "phone-digest:3f…"; a contact that cannot be one is refused naming the field. */
export function customerFlagKeyOf(ref: FlaggedCustomerRef, digestOf: ContactDigestOf): string {
  switch (ref.by) {
    case "customerId": {
      const id = ref.customerId.trim();
      if (!id) throw new ValidationError([{ field: "customerId", message: "must not be empty" }]);
      return `id:${id}`;
    }
    case "phone": {
      const phone = ref.phone.trim();
      if (!isPlausiblePhone(phone)) throw new ValidationError([{ field: "phone", message: "is not a plausible phone number" }]);
      return digestKeyOf("phone", phoneDigitsOf(phone), digestOf);
    }
    case "email": {
      const email = ref.email.trim();
      if (!isPlausibleEmail(email)) throw new ValidationError([{ field: "email", message: "is not a plausible e-mail address" }]);
      return digestKeyOf("email", emailForMatchingOf(email), digestOf);
    }
    default: {
      const unknown: never = ref;
      throw new Error(`unknown customer reference ${JSON.stringify(unknown)}`);
    }
  }
}

/** What is sealed beside the key of a flag by phone or e-mail; nothing for a flag by customer id. */
export function flaggedContactOf(ref: FlaggedCustomerRef): FlaggedContact | undefined {
  if (ref.by === "phone") return { phone: ref.phone.trim() };
  if (ref.by === "email") return { email: ref.email.trim() };
  return undefined;
}

/** The kind and the normalised value of a sealed contact, to digest it again (under another matching key). */
export function matchableOf(contact: FlaggedContact): { kind: ContactKind; normalised: string } {
  return "phone" in contact ? { kind: "phone", normalised: phoneDigitsOf(contact.phone) } : { kind: "email", normalised: emailForMatchingOf(contact.email) };
}

/**
 * What a stored key is: a customer id; a digest; or a contact in the clear, as flags were
 * keyed before migration 014 (`phone:<digits>`, `email:<address>`), which intake's start
 * rewrites (app/match-flagged-customers-afresh.ts).
 */
export type StoredFlagKey =
  | { form: "customer-id"; customerId: string }
  | { form: "digest"; kind: ContactKind }
  | { form: "clear"; contact: FlaggedContact }
  | { form: "unknown" };

export function storedFlagKeyOf(customerKey: string): StoredFlagKey {
  if (customerKey.startsWith("id:")) return { form: "customer-id", customerId: customerKey.slice("id:".length) };
  const digest = digestKeyPattern.exec(customerKey);
  if (digest) return { form: "digest", kind: digest[1] as ContactKind };
  if (customerKey.startsWith("phone:")) return { form: "clear", contact: { phone: customerKey.slice("phone:".length) } };
  if (customerKey.startsWith("email:")) return { form: "clear", contact: { email: customerKey.slice("email:".length) } };
  return { form: "unknown" };
}

/** What kind of key it is, for views and logs (which never carry a phone or an e-mail). */
export function flagKeyKindOf(customerKey: string): FlagKeyKind | "unknown" {
  const stored = storedFlagKeyOf(customerKey);
  switch (stored.form) {
    case "customer-id":
      return "customerId";
    case "digest":
      return stored.kind;
    case "clear":
      return "phone" in stored.contact ? "phone" : "email";
    case "unknown":
      return "unknown";
    default: {
      const unknown: never = stored;
      throw new Error(`unknown stored key ${JSON.stringify(unknown)}`);
    }
  }
}
