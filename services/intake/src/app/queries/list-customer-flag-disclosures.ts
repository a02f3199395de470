import { ValidationError } from "@oms/errors";
import { logPageSizeOf, logPositionOfToken } from "@oms/postgres";
import { customerFlagDisclosureRepository, type CustomerFlagDisclosure } from "../../adapters/pg/customer-flag-disclosure-repository.ts";
import { customerFlagKeyOf, storedFlagKeyOf, type FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import type { CustomerFlagDeps } from "../customer-flag-views.ts";

/** Which flag's showings: by the customer (id, phone or e-mail: digested here as flags are) or by the key the flag list names. */
export type FlagNamed = { customer: FlaggedCustomerRef } | { customerKey: string };

export interface CustomerFlagDisclosureQuery {
  flag?: FlagNamed | undefined;
  from?: Date | undefined;
  until?: Date | undefined;
  pageSize: number;
  pageToken: string;
}

/**
 * Who was shown flagged customers' contacts (migration 014's log, ADR 024's twenty-fourth-session
 * addendum), oldest first, a page at a time: every listing that showed any, or those that showed
 * one flag — named by the customer's id, phone or e-mail (digested under the current matching key,
 * as the flag was) or by its key as the flag list gives it — within a period [from, until).
 * Reading the log shows no contact and is not itself logged. A flag lifted since still has its
 * showings: a key nobody flags answers its showings, or none, never 404.
 */
export async function listCustomerFlagDisclosures(
  deps: Pick<CustomerFlagDeps, "pool" | "matching">,
  query: CustomerFlagDisclosureQuery,
): Promise<{ customerKey?: string | undefined; disclosures: CustomerFlagDisclosure[]; nextPageToken: string }> {
  const size = logPageSizeOf(query.pageSize, "pageSize");
  const after = logPositionOfToken(query.pageToken, "pageToken");
  if (query.from && query.until && query.until <= query.from) throw new ValidationError([{ field: "until", message: "must be after from" }]);
  const customerKey = query.flag && flagKeyOf(query.flag, deps.matching.digestOf);
  const page = await customerFlagDisclosureRepository.list(deps.pool, { customerKey, from: query.from, until: query.until }, size, after);
  return { customerKey, ...page };
}

function flagKeyOf(flag: FlagNamed, digestOf: CustomerFlagDeps["matching"]["digestOf"]): string {
  if ("customer" in flag) return customerFlagKeyOf(flag.customer, digestOf);
  // Only the forms the log holds: a phone or e-mail in the clear ("phone:…") never reaches a URL.
  const form = storedFlagKeyOf(flag.customerKey).form;
  if (form !== "customer-id" && form !== "digest") {
    throw new ValidationError([{ field: "customerKey", message: 'must be a flag\'s key as the flag list gives it: "id:<customerId>", "phone-digest:<hex>" or "email-digest:<hex>"' }]);
  }
  return flag.customerKey;
}
