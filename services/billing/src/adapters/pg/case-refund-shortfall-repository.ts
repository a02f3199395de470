import type pg from "pg";
import type { CaseRefundShortfall } from "../../domain/case-refund-shortfall.ts";

/** The shortfalls billing announced, one per case (migration 011). */
export const caseRefundShortfallRepository = {
  /**
   * Records the case's shortfall unless one is recorded already; true when this call wrote it,
   * and so is the one to announce it. The key is the case: of two deliveries of it racing, the
   * second waits for the first's row and then writes nothing.
   */
  async recordOnce(tx: pg.ClientBase, caseId: string, orderId: string, shortfall: CaseRefundShortfall): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO case_refund_shortfalls (case_id, order_id, requested_minor, refunded_minor, reason)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING`,
      [caseId, orderId, shortfall.requestedMinor, shortfall.refundedMinor, shortfall.reason],
    );
    return rowCount === 1;
  },
};
