import type pg from "pg";
import type { BookedReversal } from "../../domain/carrier-receipt-reversal.ts";
import type { BookedAllocation } from "../../domain/carrier-remittance-reversal.ts";
import type { Remittance } from "../../domain/carrier-remittance.ts";

/** A remittance as booked: what the transfer was, who booked it and when, and its allocations in their places. */
export interface StoredRemittance extends Remittance {
  totalMinor: number;
  bookedBy: string;
  bookedAt: Date;
}

/** An allocation as booked: its receipt in its place, its case's store, and the receipt's reversal if any. */
export interface StoredAllocation extends BookedAllocation {
  storeId: string;
  currency: string;
  reversal: { reason: string; reversedBy: string; reversedAt: Date } | undefined;
}

/** A whole remittance's reversal as recorded (migration 018). */
export interface StoredRemittanceReversal extends BookedReversal {
  reversedAt: Date;
}

/** Carrier remittances: one transfer allocated to several recoveries as receipts (migration 017). */
export const carrierRemittanceRepository = {
  /**
   * Holds finance's reference for this transaction: a receipt and a remittance under one
   * reference are in two tables, so neither key stops both. Taken after the recoveries' locks,
   * by the receipt as by the remittance, so the two never wait on each other in a circle.
   */
  async lockReference(tx: pg.ClientBase, reference: string): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('billing.carrier-payment-reference'), hashtext($1))", [reference]);
  },

  async find(db: pg.ClientBase | pg.Pool, reference: string): Promise<StoredRemittance | undefined> {
    const { rows } = await db.query<{ reference: string; carrier: string; currency: string; total_minor: string; booked_by: string; booked_at: Date; allocations: { caseId: string; amountMinor: string }[] }>(
      `SELECT m.reference, m.carrier, m.currency, m.total_minor, m.booked_by, m.booked_at,
              json_agg(json_build_object('caseId', r.case_id, 'amountMinor', r.amount_minor) ORDER BY r.position) AS allocations
       FROM carrier_remittances m JOIN carrier_recovery_receipts r ON r.remittance = m.reference
       WHERE m.reference = $1 GROUP BY m.reference`,
      [reference],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      reference: row.reference,
      carrier: row.carrier,
      currency: row.currency,
      totalMinor: Number(row.total_minor),
      bookedBy: row.booked_by,
      bookedAt: row.booked_at,
      allocations: row.allocations.map((a) => ({ caseId: a.caseId, amountMinor: Number(a.amountMinor) })),
    };
  },

  /** Which of these receipt references are taken already (by any receipt). */
  async takenReferences(tx: pg.ClientBase, references: readonly string[]): Promise<Set<string>> {
    const { rows } = await tx.query<{ reference: string }>("SELECT reference FROM carrier_recovery_receipts WHERE reference = ANY($1::text[])", [references]);
    return new Set(rows.map((r) => r.reference));
  },

  /**
   * Books the remittance and its allocations' receipts, and adds each to its recovery (all locked
   * by the caller), in one statement each. False when a receipt reference was taken meanwhile by a
   * receipt of a recovery not locked here: nothing is kept (the caller's transaction is undone).
   */
  async book(
    tx: pg.ClientBase,
    remittance: Remittance & { totalMinor: number; bookedBy: string },
    receipts: readonly { caseId: string; reference: string; amountMinor: number }[],
  ): Promise<boolean> {
    await tx.query("INSERT INTO carrier_remittances (reference, carrier, currency, total_minor, booked_by) VALUES ($1, $2, $3, $4, $5)", [
      remittance.reference,
      remittance.carrier,
      remittance.currency,
      remittance.totalMinor,
      remittance.bookedBy,
    ]);
    // WITH ORDINALITY keeps the allocations' order in the receipts' positions.
    const { rowCount } = await tx.query(
      `INSERT INTO carrier_recovery_receipts (reference, case_id, amount_minor, currency, received_by, remittance)
       SELECT a.reference, a.case_id, a.amount_minor, $4, $5, $6
       FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS a (reference, case_id, amount_minor, place)
       ORDER BY a.place
       ON CONFLICT (reference) DO NOTHING`,
      [receipts.map((r) => r.reference), receipts.map((r) => r.caseId), receipts.map((r) => r.amountMinor), remittance.currency, remittance.bookedBy, remittance.reference],
    );
    if (rowCount !== receipts.length) return false;
    await tx.query(
      `UPDATE carrier_recoveries c SET received_minor = c.received_minor + a.amount_minor
       FROM unnest($1::text[], $2::bigint[]) AS a (case_id, amount_minor) WHERE c.case_id = a.case_id`,
      [receipts.map((r) => r.caseId), receipts.map((r) => r.amountMinor)],
    );
    return true;
  },

  /** The remittance's allocations in their places, each with its case's store and its receipt's reversal. */
  async allocationsOf(db: pg.ClientBase | pg.Pool, reference: string): Promise<StoredAllocation[]> {
    const { rows } = await db.query<{
      reference: string;
      case_id: string;
      store_id: string;
      amount_minor: string;
      currency: string;
      reason: string | null;
      reversed_by: string | null;
      reversed_at: Date | null;
    }>(
      `SELECT r.reference, r.case_id, c.store_id, r.amount_minor, r.currency, v.reason, v.reversed_by, v.reversed_at
       FROM carrier_recovery_receipts r JOIN carrier_recoveries c USING (case_id) LEFT JOIN carrier_recovery_reversals v USING (reference)
       WHERE r.remittance = $1 ORDER BY r.position`,
      [reference],
    );
    return rows.map((row, i) => ({
      place: i + 1,
      reference: row.reference,
      caseId: row.case_id,
      storeId: row.store_id,
      amountMinor: Number(row.amount_minor),
      currency: row.currency,
      reversed: row.reversed_at !== null,
      reversal: row.reversed_at ? { reason: row.reason ?? "", reversedBy: row.reversed_by ?? "", reversedAt: row.reversed_at } : undefined,
      remittance: reference,
    }));
  },

  /** The stores of the claims the remittance paid: what a refusal naming it may tell a clerk depends on them. */
  async storesOf(db: pg.ClientBase | pg.Pool, reference: string): Promise<string[]> {
    const { rows } = await db.query<{ store_id: string }>(
      "SELECT DISTINCT c.store_id FROM carrier_recovery_receipts r JOIN carrier_recoveries c USING (case_id) WHERE r.remittance = $1",
      [reference],
    );
    return rows.map((row) => row.store_id);
  },

  /** The remittance's reversal as a whole (migration 018); undefined when it was not reversed whole. */
  async reversalOf(db: pg.ClientBase | pg.Pool, reference: string): Promise<StoredRemittanceReversal | undefined> {
    const { rows } = await db.query<{ reference: string; reason: string; reversed_by: string; reversed_at: Date }>(
      "SELECT reference, reason, reversed_by, reversed_at FROM carrier_remittance_reversals WHERE reference = $1",
      [reference],
    );
    const row = rows[0];
    return row ? { reference: row.reference, reason: row.reason, reversedBy: row.reversed_by, reversedAt: row.reversed_at } : undefined;
  },

  /** Records the remittance reversed whole; its allocations' receipts are reversed beside it, by the caller, in its transaction. */
  async recordReversal(tx: pg.ClientBase, reference: string, reversal: { reason: string; reversedBy: string }): Promise<void> {
    await tx.query("INSERT INTO carrier_remittance_reversals (reference, reason, reversed_by) VALUES ($1, $2, $3)", [reference, reversal.reason, reversal.reversedBy]);
  },
};
