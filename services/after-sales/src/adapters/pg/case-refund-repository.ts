import type pg from "pg";
import type { AfterSalesCase } from "../../domain/case.ts";
import type { CaseRefund } from "../../domain/case-refunds.ts";

/** Billing's refunds of cases and their shortfalls, and finance's settlement of those (ADR 017, addendum). Writes take the caller's transaction, the case locked. */
export const caseRefundRepository = {
  /** Keeps one of billing's refunds of the case; false when its id was kept before (a copy heard again). */
  async insertIfNew(tx: pg.ClientBase, caseId: string, refund: CaseRefund): Promise<boolean> {
    const { rowCount } = await tx.query("INSERT INTO case_refunds (refund_id, case_id, amount_minor, issued_at) VALUES ($1, $2, $3, $4) ON CONFLICT (refund_id) DO NOTHING", [
      refund.refundId,
      caseId,
      refund.amountMinor,
      refund.at,
    ]);
    return rowCount === 1;
  },

  /** What was refunded for a locked case, as it now stands. */
  async saveRefunded(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const { rowCount } = await tx.query("UPDATE cases SET refunded_minor = $2 WHERE case_id = $1", [c.caseId, c.refundedMinor]);
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its refund was written`);
  },

  /** A locked case's refund shortfall, as billing announced it. */
  async saveShortfall(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const s = c.refundShortfall;
    const { rowCount } = await tx.query(
      `UPDATE cases SET refund_shortfall_requested_minor = $2, refund_shortfall_refunded_minor = $3, refund_shortfall_reason = $4, refund_shortfall_at = $5
       WHERE case_id = $1`,
      [c.caseId, s?.requestedMinor ?? null, s?.refundedMinor ?? null, s?.reason ?? null, s?.at ?? null],
    );
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its refund shortfall was written`);
  },

  /** Finance's settlement of a locked case's shortfall (settle-refund-shortfall.ts). */
  async saveSettlement(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const s = c.refundShortfall?.settlement;
    const { rowCount } = await tx.query(
      `UPDATE cases SET refund_shortfall_settled_at = $2, refund_shortfall_settled_by = $3, refund_shortfall_settled_reference = $4, refund_shortfall_settled_note = $5
       WHERE case_id = $1`,
      [c.caseId, s?.at ?? null, s?.by ?? null, s?.reference ?? null, s?.note ?? null],
    );
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its refund shortfall's settlement was written`);
  },
};
