import type pg from "pg";
import { invalidatableSnapshot } from "./platform-repository.ts";

/** Customers whose orders always go to manual review. Intake owns the table; reviewers and store managers keep it through the API. */
export interface FlaggedCustomers {
  anyFlagged(keys: readonly string[]): Promise<boolean>;
  /** The list changed (a flag set or lifted here): the next order reads it afresh. */
  invalidate(): void;
}

/**
 * A row of flagged_customers. The key is a customer id or a digest (migration 014); the phone or
 * e-mail of a flag by contact is only in `sealedContact`, sealed and bound to the key.
 */
export interface FlaggedCustomerRecord {
  customerKey: string;
  reason: string;
  /** The actor label of whoever flagged, e.g. "staff:s-7"; undefined for customers flagged before the API recorded it. */
  flaggedBy: string | undefined;
  flaggedAt: Date;
  sealedContact: Buffer | undefined;
  /** The store whose staff raised it (migration 016); undefined for a chain-level flag or one older than that. */
  raisedAtStore: string | undefined;
}

/** What a flag is stored as: the key, and for a flag by contact the sealed contact and the fingerprint of the key it was digested under. */
export interface FlagToStore {
  customerKey: string;
  reason: string;
  sealedContact?: Buffer | undefined;
  matchedUnder?: string | undefined;
  /** The flagger's store; undefined when they work chain-wide. */
  raisedAtStore?: string | undefined;
}

/** Where a page of the flag list ends: the last row's exact time (microseconds, UTC) and key. */
export interface FlagListPosition {
  flaggedAt: string;
  customerKey: string;
}

/** A flag by contact to digest again: in the clear (before migration 014) or digested under another matching key. */
export interface FlagToMatchAfresh {
  customerKey: string;
  sealedContact: Buffer | undefined;
}

interface FlaggedCustomerRow {
  customer_key: string;
  reason: string;
  flagged_by: string | null;
  flagged_at: Date;
  sealed_contact: Buffer | null;
  raised_at_store: string | null;
  position_at: string;
}

const flagColumns = `customer_key, reason, flagged_by, flagged_at, sealed_contact, raised_at_store,
  to_char(flagged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at`;

const flagOf = (r: FlaggedCustomerRow): FlaggedCustomerRecord => ({
  customerKey: r.customer_key,
  reason: r.reason,
  flaggedBy: r.flagged_by ?? undefined,
  flaggedAt: r.flagged_at,
  sealedContact: r.sealed_contact ?? undefined,
  raisedAtStore: r.raised_at_store ?? undefined,
});

export const flaggedCustomerRepository = {
  /**
   * Flags the key, or replaces the reason, who, when, store and sealed contact of its flag; `created`
   * when it was not flagged before. Flagged again elsewhere, the flag moves to the latest flagger's store.
   */
  async flag(db: pg.Pool | pg.ClientBase, flag: FlagToStore, by?: { flaggedBy: string; at: Date }): Promise<{ created: boolean; flag: FlaggedCustomerRecord }> {
    const { rows } = await db.query<FlaggedCustomerRow & { created: boolean }>(
      `INSERT INTO flagged_customers (customer_key, reason, flagged_by, flagged_at, sealed_contact, matched_under, raised_at_store)
       VALUES ($1, $2, $3, coalesce($4, now()), $5, $6, $7)
       ON CONFLICT (customer_key) DO UPDATE SET reason = EXCLUDED.reason, flagged_by = EXCLUDED.flagged_by, flagged_at = EXCLUDED.flagged_at,
         sealed_contact = EXCLUDED.sealed_contact, matched_under = EXCLUDED.matched_under, raised_at_store = EXCLUDED.raised_at_store
       RETURNING ${flagColumns}, (xmax = 0) AS created`,
      [flag.customerKey, flag.reason, by?.flaggedBy ?? null, by?.at ?? null, flag.sealedContact ?? null, flag.matchedUnder ?? null, flag.raisedAtStore ?? null],
    );
    const row = rows[0]!;
    return { created: row.created, flag: flagOf(row) };
  },

  /** Lifts the key's flag; false when it was not flagged. */
  async unflag(db: pg.Pool | pg.ClientBase, customerKey: string): Promise<boolean> {
    const { rowCount } = await db.query("DELETE FROM flagged_customers WHERE customer_key = $1", [customerKey]);
    return (rowCount ?? 0) > 0;
  },

  /** Newest first; `after` continues where a page ended. */
  async list(
    db: pg.Pool | pg.ClientBase,
    limit: number,
    after?: FlagListPosition,
  ): Promise<{ flags: FlaggedCustomerRecord[]; last: FlagListPosition | undefined; more: boolean }> {
    const { rows } = await db.query<FlaggedCustomerRow>(
      `SELECT ${flagColumns} FROM flagged_customers
       WHERE $1::timestamptz IS NULL OR (flagged_at, customer_key) < ($1::timestamptz, $2::text)
       ORDER BY flagged_at DESC, customer_key DESC LIMIT $3`,
      [after?.flaggedAt ?? null, after?.customerKey ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const lastRow = page.at(-1);
    return {
      flags: page.map(flagOf),
      last: lastRow ? { flaggedAt: lastRow.position_at, customerKey: lastRow.customer_key } : undefined,
      more: rows.length > limit,
    };
  },

  /** Logs that the contacts of these flags were shown (migration 014's append-only log), in the transaction that opened them. */
  async recordDisclosure(tx: pg.ClientBase, disclosure: { customerKeys: readonly string[]; shownTo: string; role: string; correlationId: string }): Promise<void> {
    await tx.query("INSERT INTO customer_flag_disclosures (customer_keys, shown_to, role, correlation_id) VALUES ($1, $2, $3, $4)", [
      disclosure.customerKeys,
      disclosure.shownTo,
      disclosure.role,
      disclosure.correlationId,
    ]);
  },

  /**
   * A batch of flags by contact not digested under the key `keyCheck` fingerprints (in the
   * clear, or under another key), after `afterKey` in key order, locked for the caller's
   * transaction; rows another instance holds are skipped, it is converting them.
   */
  async lockToMatchAfresh(tx: pg.ClientBase, keyCheck: string, afterKey: string, limit: number): Promise<FlagToMatchAfresh[]> {
    const { rows } = await tx.query<{ customer_key: string; sealed_contact: Buffer | null }>(
      `SELECT customer_key, sealed_contact FROM flagged_customers
       WHERE customer_key NOT LIKE 'id:%' AND matched_under IS DISTINCT FROM $1 AND customer_key > $2
       ORDER BY customer_key LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [keyCheck, afterKey, limit],
    );
    return rows.map((r) => ({ customerKey: r.customer_key, sealedContact: r.sealed_contact ?? undefined }));
  },

  /**
   * Moves a flag to its new key with its reason, who, when and store. Should a flag under the new key
   * exist already (flagged again meanwhile on an upgraded instance), that one stays: both name
   * the same customer.
   */
  async rekey(tx: pg.ClientBase, fromKey: string, to: Omit<FlagToStore, "reason">): Promise<void> {
    if (fromKey === to.customerKey) {
      // The same digest: deleting and inserting one key in one statement would meet the row being deleted.
      await tx.query("UPDATE flagged_customers SET sealed_contact = $2, matched_under = $3 WHERE customer_key = $1", [
        fromKey,
        to.sealedContact ?? null,
        to.matchedUnder ?? null,
      ]);
      return;
    }
    await tx.query(
      `WITH moved AS (DELETE FROM flagged_customers WHERE customer_key = $1 RETURNING reason, flagged_by, flagged_at, raised_at_store)
       INSERT INTO flagged_customers (customer_key, reason, flagged_by, flagged_at, sealed_contact, matched_under, raised_at_store)
       SELECT $2, reason, flagged_by, flagged_at, $3, $4, raised_at_store FROM moved
       ON CONFLICT (customer_key) DO NOTHING`,
      [fromKey, to.customerKey, to.sealedContact ?? null, to.matchedUnder ?? null],
    );
  },

  /**
   * Proves the table holds no contact in the clear (migration 014's check, added NOT VALID),
   * once. False when a row still fails it: another instance is converting it; a later start validates.
   */
  async validateNoClearContact(db: pg.Pool): Promise<boolean> {
    const { rows } = await db.query<{ convalidated: boolean }>(
      "SELECT convalidated FROM pg_constraint WHERE conname = 'flagged_customers_no_clear_contact' AND conrelid = 'flagged_customers'::regclass",
    );
    if (rows[0]?.convalidated !== false) return true;
    try {
      await db.query("ALTER TABLE flagged_customers VALIDATE CONSTRAINT flagged_customers_no_clear_contact");
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === "23514") return false;
      throw error;
    }
  },
};

/**
 * The flagged keys from memory: a query per order would cost more than the order, and the
 * list is short and changes rarely. A flag must hold from the customer's next order, so
 * the copy is short-lived (1 s by default) and dropped at once by a change made through
 * this instance (`invalidate`); other instances see the change within `maxAgeMs`.
 */
export function cachedFlaggedCustomers(pool: pg.Pool, options: { maxAgeMs?: number } = {}): FlaggedCustomers {
  const cache = invalidatableSnapshot(
    async () => new Set((await pool.query<{ customer_key: string }>("SELECT customer_key FROM flagged_customers")).rows.map((r) => r.customer_key)),
    options.maxAgeMs ?? 1_000,
  );
  return {
    anyFlagged: async (keys: readonly string[]) => {
      if (keys.length === 0) return false;
      const flagged = await cache.snapshot();
      return keys.some((key) => flagged.has(key));
    },
    invalidate: cache.invalidate,
  };
}
