import type pg from "pg";
import { logPageOf, logPositionSql, type LogPosition, type PositionedRow } from "@oms/postgres";

/** One showing of a customer's contact: who saw it, in which role, when, under which request. Never the contact itself. */
export interface ContactDisclosure {
  orderId: string;
  shownTo: string;
  role: string;
  correlationId: string;
  shownAt: Date;
}

interface DisclosureRow extends PositionedRow {
  order_id: string;
  shown_to: string;
  role: string;
  correlation_id: string;
  shown_at: Date;
}

/** The append-only log of migration 009: written in the transaction that opened the contact. */
export const contactDisclosureRepository = {
  async record(tx: pg.Pool | pg.ClientBase, disclosure: Omit<ContactDisclosure, "shownAt">): Promise<void> {
    await tx.query({
      name: "intake.contact-disclosures.insert",
      text: "INSERT INTO contact_disclosures (order_id, shown_to, role, correlation_id) VALUES ($1, $2, $3, $4)",
      values: [disclosure.orderId, disclosure.shownTo, disclosure.role, disclosure.correlationId],
    });
  },

  /** An order's disclosures, oldest first, a page of `size` after `after` (from the start when undefined); the token continues it. */
  async listForOrder(db: pg.Pool | pg.ClientBase, orderId: string, size: number, after: LogPosition | undefined): Promise<{ disclosures: ContactDisclosure[]; nextPageToken: string }> {
    const { rows } = await db.query<DisclosureRow>({
      name: "intake.contact-disclosures.list",
      text: `SELECT order_id, shown_to, role, correlation_id, shown_at, ${logPositionSql.columns("shown_at", "disclosure_id")}
             FROM contact_disclosures WHERE order_id = $1 AND ${logPositionSql.after("shown_at", "disclosure_id", 2)}
             ORDER BY shown_at, disclosure_id LIMIT $4`,
      values: [orderId, after?.atMicros ?? null, after?.id ?? null, size + 1],
    });
    const page = logPageOf(rows, size);
    return {
      disclosures: page.rows.map((r) => ({ orderId: r.order_id, shownTo: r.shown_to, role: r.role, correlationId: r.correlation_id, shownAt: r.shown_at })),
      nextPageToken: page.nextPageToken,
    };
  },
};
