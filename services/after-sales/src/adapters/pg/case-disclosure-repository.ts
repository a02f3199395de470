import type pg from "pg";
import { logPageOf, logPositionSql, type LogPosition, type PositionedRow } from "@oms/postgres";
import type { CaseShowing, ShownCaseField } from "../../domain/case-showings.ts";

/** One logged showing of a case's words, as auditors read it back. Never the words. */
export interface CaseDisclosure {
  shownTo: string;
  role: string;
  fields: ShownCaseField[];
  correlationId: string;
  shownAt: Date;
}

interface DisclosureRow extends PositionedRow {
  shown_to: string;
  role: string;
  fields: ShownCaseField[];
  correlation_id: string;
  shown_at: Date;
}

/** The append-only log of migration 015: written with the read that opened the words. */
export const caseDisclosureRepository = {
  /** Every showing of one view in one statement, however many cases a list showed. */
  async record(db: pg.Pool | pg.ClientBase, showings: readonly CaseShowing[]): Promise<void> {
    if (showings.length === 0) return;
    await db.query({
      name: "after-sales.case-disclosures.insert",
      text: `INSERT INTO case_disclosures (case_id, order_id, fields, shown_to, role, correlation_id)
             SELECT s.case_id, s.order_id, string_to_array(s.fields, ','), s.shown_to, s.role, s.correlation_id
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS s(case_id, order_id, fields, shown_to, role, correlation_id)`,
      values: [
        showings.map((s) => s.caseId),
        showings.map((s) => s.orderId),
        showings.map((s) => s.fields.join(",")),
        showings.map((s) => s.shownTo),
        showings.map((s) => s.role),
        showings.map((s) => s.correlationId),
      ],
    });
  },

  /** A case's showings, oldest first, a page of `size` after `after` (from the start when undefined); the token continues it. */
  async listForCase(db: pg.Pool | pg.ClientBase, caseId: string, size: number, after: LogPosition | undefined): Promise<{ disclosures: CaseDisclosure[]; nextPageToken: string }> {
    const { rows } = await db.query<DisclosureRow>({
      name: "after-sales.case-disclosures.list",
      text: `SELECT shown_to, role, fields, correlation_id, shown_at, ${logPositionSql.columns("shown_at", "disclosure_id")}
             FROM case_disclosures WHERE case_id = $1 AND ${logPositionSql.after("shown_at", "disclosure_id", 2)}
             ORDER BY shown_at, disclosure_id LIMIT $4`,
      values: [caseId, after?.atMicros ?? null, after?.id ?? null, size + 1],
    });
    const page = logPageOf(rows, size);
    return {
      disclosures: page.rows.map((r) => ({ shownTo: r.shown_to, role: r.role, fields: r.fields, correlationId: r.correlation_id, shownAt: r.shown_at })),
      nextPageToken: page.nextPageToken,
    };
  },
};
