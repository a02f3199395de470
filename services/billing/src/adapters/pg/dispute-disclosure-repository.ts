import type pg from "pg";
import { logPageOf, logPositionSql, type LogPosition, type PositionedRow } from "@oms/postgres";
import type { DisputeShowing, ShownDisputeField } from "../../domain/dispute-showings.ts";

/** One logged showing of a dispute's statement, as auditors read it back. Never the statement. */
export interface DisputeDisclosure {
  shownTo: string;
  role: string;
  fields: ShownDisputeField[];
  correlationId: string;
  shownAt: Date;
}

interface DisclosureRow extends PositionedRow {
  shown_to: string;
  role: string;
  fields: ShownDisputeField[];
  correlation_id: string;
  shown_at: Date;
}

/** The append-only log of migration 013: written with the read that opened the statements. */
export const disputeDisclosureRepository = {
  /** Every showing of one view in one statement, however many disputes a list showed. */
  async record(db: pg.Pool | pg.ClientBase, showings: readonly DisputeShowing[]): Promise<void> {
    if (showings.length === 0) return;
    await db.query({
      name: "billing.dispute-disclosures.insert",
      text: `INSERT INTO dispute_disclosures (dispute_id, order_id, fields, shown_to, role, correlation_id)
             SELECT s.dispute_id, s.order_id, string_to_array(s.fields, ','), s.shown_to, s.role, s.correlation_id
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS s(dispute_id, order_id, fields, shown_to, role, correlation_id)`,
      values: [
        showings.map((s) => s.disputeId),
        showings.map((s) => s.orderId),
        showings.map((s) => s.fields.join(",")),
        showings.map((s) => s.shownTo),
        showings.map((s) => s.role),
        showings.map((s) => s.correlationId),
      ],
    });
  },

  /** A dispute's showings, oldest first, a page of `size` after `after` (from the start when undefined); the token continues it. */
  async listForDispute(db: pg.Pool | pg.ClientBase, disputeId: string, size: number, after: LogPosition | undefined): Promise<{ disclosures: DisputeDisclosure[]; nextPageToken: string }> {
    const { rows } = await db.query<DisclosureRow>({
      name: "billing.dispute-disclosures.list",
      text: `SELECT shown_to, role, fields, correlation_id, shown_at, ${logPositionSql.columns("shown_at", "disclosure_id")}
             FROM dispute_disclosures WHERE dispute_id = $1 AND ${logPositionSql.after("shown_at", "disclosure_id", 2)}
             ORDER BY shown_at, disclosure_id LIMIT $4`,
      values: [disputeId, after?.atMicros ?? null, after?.id ?? null, size + 1],
    });
    const page = logPageOf(rows, size);
    return {
      disclosures: page.rows.map((r) => ({ shownTo: r.shown_to, role: r.role, fields: r.fields, correlationId: r.correlation_id, shownAt: r.shown_at })),
      nextPageToken: page.nextPageToken,
    };
  },
};
