import type pg from "pg";
import type { Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { flaggedCustomerRepository } from "../adapters/pg/flagged-customer-repository.ts";
import { digestKeyOf, matchableOf, storedFlagKeyOf, type FlaggedContact } from "../domain/customer-flag.ts";
import type { CustomerMatching } from "./customer-matching.ts";
import { flagContactBoundTo, openedFlagContact } from "./customer-flag-views.ts";
import type { OrderContacts } from "./order-contacts.ts";

export interface FlagsMatchedAfresh {
  /** Flags kept in the clear before migration 014, now a digest with the contact sealed. */
  sealed: number;
  /** Flags digested under another matching key (a rotation), digested again under the current one. */
  rekeyed: number;
  /** Flags whose sealed contact no personal-data key of this process opens: left as they are, and unmatched under a new key. */
  unreadable: number;
  /** Keys of no form intake writes (put in by hand): left as they are. */
  unknown: number;
}

/**
 * Brings every flag by phone or e-mail under the current matching key, at each start before
 * intake serves: a row still keyed `phone:<digits>` / `email:<address>` (stored before
 * migration 014) becomes a digest with the contact sealed beside it, and a row digested under
 * another key (the key was rotated) is opened and digested again — otherwise no order would
 * match it. A batch per transaction; instances starting together share the work (SKIP LOCKED).
 * Then migration 014's check is validated, proving no contact is left in the clear. Nothing to
 * do costs two queries.
 */
export async function matchFlaggedCustomersAfresh(
  pool: pg.Pool,
  deps: { contacts: OrderContacts; matching: CustomerMatching },
  logger: Logger,
  batchSize = 500,
): Promise<FlagsMatchedAfresh> {
  const counts: FlagsMatchedAfresh = { sealed: 0, rekeyed: 0, unreadable: 0, unknown: 0 };
  // Rows that cannot be converted stay behind; the next batch starts after the last key seen, not over them again.
  let afterKey = "";
  for (;;) {
    const seen = await withTransaction(pool, async (tx) => {
      const rows = await flaggedCustomerRepository.lockToMatchAfresh(tx, deps.matching.keyCheck, afterKey, batchSize);
      for (const row of rows) {
        const contact = contactOf(deps.contacts, row, counts);
        if (!contact) continue;
        const { kind, normalised } = matchableOf(contact);
        const customerKey = digestKeyOf(kind, normalised, deps.matching.digestOf);
        await flaggedCustomerRepository.rekey(tx, row.customerKey, {
          customerKey,
          sealedContact: deps.contacts.sealValue(contact, flagContactBoundTo(customerKey)),
          matchedUnder: deps.matching.keyCheck,
        });
      }
      return rows;
    });
    afterKey = seen.at(-1)?.customerKey ?? afterKey;
    if (seen.length < batchSize) break;
  }
  const validated = await flaggedCustomerRepository.validateNoClearContact(pool);
  const changed = counts.sealed + counts.rekeyed + counts.unreadable + counts.unknown > 0;
  // Counts only: neither a contact nor a digest reaches the log.
  if (changed) logger.info({ ...counts }, "flagged customers matched under the current matching key");
  if (counts.unreadable > 0) logger.warn({ unreadable: counts.unreadable }, "flagged customers whose sealed contact no personal-data key opens are not matched afresh");
  if (!validated) {
    logger.warn("flagged_customers still holds rows its check refuses (another instance is converting them, or keys of no known form): a later start validates it");
  }
  return counts;
}

/** The contact a row names, counting what it was; undefined when it cannot be converted. */
function contactOf(contacts: OrderContacts, row: { customerKey: string; sealedContact: Buffer | undefined }, counts: FlagsMatchedAfresh): FlaggedContact | undefined {
  const stored = storedFlagKeyOf(row.customerKey);
  if (stored.form === "clear") {
    counts.sealed++;
    return stored.contact;
  }
  if (stored.form === "digest") {
    const opened = openedFlagContact(contacts, row);
    if (opened) counts.rekeyed++;
    else counts.unreadable++;
    return opened;
  }
  counts.unknown++;
  return undefined;
}
