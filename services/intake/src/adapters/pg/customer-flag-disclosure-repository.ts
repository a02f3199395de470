import type pg from "pg";
import { logPageOf, logPositionSql, type LogPosition, type PositionedRow } from "@oms/postgres";

/** One listing that showed flagged customers' contacts: the flags' keys (ids or digests, never a contact), who, role, when, request. */
export interface CustomerFlagDisclosure {
  customerKeys: string[];
  shownTo: string;
  role: string;
  correlationId: string;
  shownAt: Date;
}

/** What an auditor narrows the log to: showings naming one flag, within a period [from, until). */
export interface CustomerFlagDisclosureFilter {
  customerKey?: string | undefined;
  from?: Date | undefined;
  until?: Date | undefined;
}

interface DisclosureRow extends PositionedRow {
  customer_keys: string[];
  shown_to: string;
  role: string;
  correlation_id: string;
  shown_at: Date;
}

/** Migration 014's append-only log, read back (migration 017's indexes): written by the flag list (flagged-customer-repository.ts). */
export const customerFlagDisclosureRepository = {
  /** Oldest first, a page of `size` after `after` (from the start when undefined); the token continues it under the same filter. */
  async list(
    db: pg.Pool | pg.ClientBase,
    filter: CustomerFlagDisclosureFilter,
    size: number,
    after: LogPosition | undefined,
  ): Promise<{ disclosures: CustomerFlagDisclosure[]; nextPageToken: string }> {
    const { rows } = await db.query<DisclosureRow>({
      name: "intake.customer-flag-disclosures.list",
      // Absent filters as NULL: one statement, planned once.
      text: `SELECT customer_keys, shown_to, role, correlation_id, shown_at, ${logPositionSql.columns("shown_at", "disclosure_id")}
             FROM customer_flag_disclosures
             WHERE ${logPositionSql.after("shown_at", "disclosure_id", 1)}
               AND ($3::text IS NULL OR customer_keys @> ARRAY[$3::text])
               AND ($4::timestamptz IS NULL OR shown_at >= $4) AND ($5::timestamptz IS NULL OR shown_at < $5)
             ORDER BY shown_at, disclosure_id LIMIT $6`,
      values: [after?.atMicros ?? null, after?.id ?? null, filter.customerKey ?? null, filter.from ?? null, filter.until ?? null, size + 1],
    });
    const page = logPageOf(rows, size);
    return {
      disclosures: page.rows.map((r) => ({ customerKeys: r.customer_keys, shownTo: r.shown_to, role: r.role, correlationId: r.correlation_id, shownAt: r.shown_at })),
      nextPageToken: page.nextPageToken,
    };
  },
};
