import type pg from "pg";
import type { BookedReversal } from "../../domain/carrier-receipt-reversal.ts";
import type { BookedReceipt } from "../../domain/carrier-recovery.ts";

/** Reversals of carrier receipts and the overdue chase's marks of a recovery (migrations 015, 016). */
export const carrierReversalRepository = {
  async reversalOf(tx: pg.ClientBase, reference: string): Promise<BookedReversal | undefined> {
    const { rows } = await tx.query<{ reference: string; reason: string; reversed_by: string }>(
      "SELECT reference, reason, reversed_by FROM carrier_recovery_reversals WHERE reference = $1",
      [reference],
    );
    return rows[0] ? { reference: rows[0].reference, reason: rows[0].reason, reversedBy: rows[0].reversed_by } : undefined;
  },

  /**
   * Records the reversal and takes its amount off its recovery (locked by the caller, so two
   * reversals of one receipt come one after the other and the second finds the first). The
   * receipt's row stays: its reference is spent for good.
   */
  async reverse(tx: pg.ClientBase, receipt: BookedReceipt & { currency: string }, reversal: { reason: string; reversedBy: string }): Promise<void> {
    await tx.query(
      `INSERT INTO carrier_recovery_reversals (reference, case_id, amount_minor, currency, reason, reversed_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [receipt.reference, receipt.caseId, receipt.amountMinor, receipt.currency, reversal.reason, reversal.reversedBy],
    );
    await tx.query("UPDATE carrier_recoveries SET received_minor = received_minor - $2 WHERE case_id = $1", [receipt.caseId, receipt.amountMinor]);
  },

  /** Marks the recovery's current owed stretch announced overdue (its row locked by the caller). */
  async markOverdueAnnounced(tx: pg.ClientBase, caseId: string): Promise<void> {
    await tx.query("UPDATE carrier_recoveries SET overdue_announced_at = now(), overdue_announced_stretch = owed_stretch WHERE case_id = $1", [caseId]);
  },

  /** Opens the recovery's next owed stretch (its row locked by the caller): a reversal left it owing again (migration 016). */
  async openOwedStretch(tx: pg.ClientBase, caseId: string, owedStretch: number): Promise<void> {
    await tx.query("UPDATE carrier_recoveries SET owed_stretch = $2 WHERE case_id = $1", [caseId, owedStretch]);
  },
};
