import { ValidationError } from "@oms/errors";
import { isPlausibleEmail, isPlausiblePhone } from "./pre-check.ts";

/**
 * Flagged customers (DOMAIN.md, Intake: orders of doubtful customers go to manual review).
 * A flag names the customer the way an order does: by customer id, phone or e-mail, under
 * the same key `customerKeysOf` (domain/review.ts) derives from each order's customer, so a
 * phone flagged as "+86 138-0013-8000" holds for an order giving "+86 138 0013 8000".
 */
export type FlaggedCustomerRef = { by: "customerId"; customerId: string } | { by: "phone"; phone: string } | { by: "email"; email: string };

export type FlagKeyKind = FlaggedCustomerRef["by"];

/** The flagged_customers key of a customer, e.g. "phone:8613800138000"; a contact that cannot be one is refused naming the field. */
export function customerFlagKeyOf(ref: FlaggedCustomerRef): string {
  switch (ref.by) {
    case "customerId": {
      const id = ref.customerId.trim();
      if (!id) throw new ValidationError([{ field: "customerId", message: "must not be empty" }]);
      return `id:${id}`;
    }
    case "phone": {
      const phone = ref.phone.trim();
      if (!isPlausiblePhone(phone)) throw new ValidationError([{ field: "phone", message: "is not a plausible phone number" }]);
      return `phone:${phone.replace(/\D/g, "")}`;
    }
    case "email": {
      const email = ref.email.trim();
      if (!isPlausibleEmail(email)) throw new ValidationError([{ field: "email", message: "is not a plausible e-mail address" }]);
      return `email:${email.toLowerCase()}`;
    }
    default: {
      const unknown: never = ref;
      throw new Error(`unknown customer reference ${JSON.stringify(unknown)}`);
    }
  }
}

/** What kind of key it is, for logs (which never carry the key of a phone or an e-mail). */
export function flagKeyKindOf(customerKey: string): FlagKeyKind | "unknown" {
  if (customerKey.startsWith("id:")) return "customerId";
  if (customerKey.startsWith("phone:")) return "phone";
  if (customerKey.startsWith("email:")) return "email";
  return "unknown";
}
