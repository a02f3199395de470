import type pg from "pg";
import { logPageOf, logPositionSql, type LogPosition, type PositionedRow } from "./log-pages.ts";

/**
 * An append-only log of who was shown which sealed fields of one record (ADR 024's showings
 * addendum): after-sales' `case_disclosures` and billing's `dispute_disclosures` have the same
 * columns but for the record's id, so each service's repository is this log over its own table.
 * The table and column names are the services' constants, never input.
 */
export interface ShowingsLogTable {
  /** e.g. "case_disclosures". */
  table: string;
  /** The shown record's id column, e.g. "case_id". */
  recordColumn: string;
  /** Prefix of the prepared statements' names, e.g. "after-sales.case-disclosures". */
  statementName: string;
}

/** One showing to log: the record, its order, the fields opened, who saw them. */
export interface ShowingToLog<Field extends string> {
  recordId: string;
  orderId: string;
  fields: readonly Field[];
  shownTo: string;
  role: string;
  correlationId: string;
}

/** One logged showing, as auditors read it back. Never the words. */
export interface LoggedShowing<Field extends string> {
  shownTo: string;
  role: string;
  fields: Field[];
  correlationId: string;
  shownAt: Date;
}

interface ShowingRow<Field extends string> extends PositionedRow {
  shown_to: string;
  role: string;
  fields: Field[];
  correlation_id: string;
  shown_at: Date;
}

export function showingsLog<Field extends string>({ table, recordColumn, statementName }: ShowingsLogTable) {
  return {
    /** Every showing of one view in one statement, however many records a list showed. */
    async record(db: pg.Pool | pg.ClientBase, showings: readonly ShowingToLog<Field>[]): Promise<void> {
      if (showings.length === 0) return;
      await db.query({
        name: `${statementName}.insert`,
        text: `INSERT INTO ${table} (${recordColumn}, order_id, fields, shown_to, role, correlation_id)
               SELECT s.record_id, s.order_id, string_to_array(s.fields, ','), s.shown_to, s.role, s.correlation_id
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                 AS s(record_id, order_id, fields, shown_to, role, correlation_id)`,
        values: [
          showings.map((s) => s.recordId),
          showings.map((s) => s.orderId),
          showings.map((s) => s.fields.join(",")),
          showings.map((s) => s.shownTo),
          showings.map((s) => s.role),
          showings.map((s) => s.correlationId),
        ],
      });
    },

    /** A record's showings, oldest first, a page of `size` after `after` (from the start when undefined); the token continues it. */
    async listFor(db: pg.Pool | pg.ClientBase, recordId: string, size: number, after: LogPosition | undefined): Promise<{ disclosures: LoggedShowing<Field>[]; nextPageToken: string }> {
      const { rows } = await db.query<ShowingRow<Field>>({
        name: `${statementName}.list`,
        text: `SELECT shown_to, role, fields, correlation_id, shown_at, ${logPositionSql.columns("shown_at", "disclosure_id")}
               FROM ${table} WHERE ${recordColumn} = $1 AND ${logPositionSql.after("shown_at", "disclosure_id", 2)}
               ORDER BY shown_at, disclosure_id LIMIT $4`,
        values: [recordId, after?.atMicros ?? null, after?.id ?? null, size + 1],
      });
      const page = logPageOf(rows, size);
      return {
        disclosures: page.rows.map((r) => ({ shownTo: r.shown_to, role: r.role, fields: r.fields, correlationId: r.correlation_id, shownAt: r.shown_at })),
        nextPageToken: page.nextPageToken,
      };
    },
  };
}
