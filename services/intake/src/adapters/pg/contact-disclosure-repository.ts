import type pg from "pg";

/** One showing of a customer's contact: who saw it, in which role, when, under which request. Never the contact itself. */
export interface ContactDisclosure {
  orderId: string;
  shownTo: string;
  role: string;
  correlationId: string;
  shownAt: Date;
}

interface DisclosureRow {
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

  /** An order's disclosures, oldest first, at most `limit`. */
  async listForOrder(db: pg.Pool | pg.ClientBase, orderId: string, limit: number): Promise<ContactDisclosure[]> {
    const { rows } = await db.query<DisclosureRow>({
      name: "intake.contact-disclosures.list",
      text: "SELECT order_id, shown_to, role, correlation_id, shown_at FROM contact_disclosures WHERE order_id = $1 ORDER BY shown_at, disclosure_id LIMIT $2",
      values: [orderId, limit],
    });
    return rows.map((r) => ({ orderId: r.order_id, shownTo: r.shown_to, role: r.role, correlationId: r.correlation_id, shownAt: r.shown_at }));
  },
};
