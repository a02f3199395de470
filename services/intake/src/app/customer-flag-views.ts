import type pg from "pg";
import type { FlaggedCustomerRecord, FlaggedCustomers } from "../adapters/pg/platform-repository.ts";
import { flagKeyKindOf, type FlagKeyKind } from "../domain/customer-flag.ts";

/** What the flag use cases need: the table, and the in-memory copy the order path reads, to refresh on a change. */
export interface CustomerFlagDeps {
  pool: pg.Pool;
  flaggedCustomers: FlaggedCustomers;
  /** Injected in tests; the wall clock otherwise. */
  now?: () => Date;
}

/** A flag as reviewers and store managers see it. The key names the customer (it may be their phone or e-mail): staff only. */
export interface CustomerFlagView {
  customerKey: string;
  by: FlagKeyKind | "unknown";
  reason: string;
  flaggedBy?: string | undefined;
  flaggedAt: string;
}

export function customerFlagViewOf(flag: FlaggedCustomerRecord): CustomerFlagView {
  return {
    customerKey: flag.customerKey,
    by: flagKeyKindOf(flag.customerKey),
    reason: flag.reason,
    flaggedBy: flag.flaggedBy,
    flaggedAt: flag.flaggedAt.toISOString(),
  };
}
