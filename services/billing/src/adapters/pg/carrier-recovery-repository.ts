import type pg from "pg";
import type { BookedReceipt, CarrierRecovery } from "../../domain/carrier-recovery.ts";
import type { OwedStretches } from "../../domain/carrier-recovery-overdue.ts";

/** A recovery as it is recorded, with when its claim was settled and where its overdue chase stands. */
export interface StoredRecovery extends CarrierRecovery, OwedStretches {
  settledAt: Date;
  /** When the carrier should have paid in full (fixed when recorded, migration 015). */
  dueBy: Date;
  /** When CarrierRecoveryOverdue was announced; undefined: not (yet). */
  overdueAnnouncedAt: Date | undefined;
}

export interface StoredReceipt extends BookedReceipt {
  currency: string;
  receivedBy: string;
  receivedAt: Date;
  reversal: { reason: string; reversedBy: string; reversedAt: Date } | undefined;
  /** The remittance (one transfer paying several claims, migration 017) it is an allocation of; undefined when booked alone. */
  remittance: string | undefined;
}

/** A settled claim heard from after-sales: what its carrier owes. */
export interface RecoveryDue {
  caseId: string;
  orderId: string;
  storeId: string;
  carrier: string;
  carrierReference: string;
  dueMinor: number;
  currency: string;
  settledAt: string;
}

interface RecoveryRow {
  case_id: string;
  order_id: string;
  store_id: string;
  carrier: string;
  carrier_reference: string;
  due_minor: string;
  currency: string;
  received_minor: string;
  settled_at: Date;
  due_by: Date;
  overdue_announced_at: Date | null;
  owed_stretch: number;
  overdue_announced_stretch: number;
}

const columns =
  "case_id, order_id, store_id, carrier, carrier_reference, due_minor, currency, received_minor, settled_at, due_by, overdue_announced_at, owed_stretch, overdue_announced_stretch";

const recoveryOf = (row: RecoveryRow): StoredRecovery => ({
  caseId: row.case_id,
  orderId: row.order_id,
  storeId: row.store_id,
  carrier: row.carrier,
  carrierReference: row.carrier_reference,
  dueMinor: Number(row.due_minor),
  currency: row.currency,
  receivedMinor: Number(row.received_minor),
  settledAt: row.settled_at,
  dueBy: row.due_by,
  overdueAnnouncedAt: row.overdue_announced_at ?? undefined,
  owedStretch: row.owed_stretch,
  overdueAnnouncedStretch: row.overdue_announced_stretch,
});

interface ReceiptRow {
  reference: string;
  case_id: string;
  amount_minor: string;
  currency: string;
  received_by: string;
  received_at: Date;
  reason: string | null;
  reversed_by: string | null;
  reversed_at: Date | null;
  remittance: string | null;
}

const receiptOf = (row: ReceiptRow): StoredReceipt => ({
  reference: row.reference,
  caseId: row.case_id,
  amountMinor: Number(row.amount_minor),
  currency: row.currency,
  receivedBy: row.received_by,
  receivedAt: row.received_at,
  reversed: row.reversed_at !== null,
  reversal: row.reversed_at ? { reason: row.reason ?? "", reversedBy: row.reversed_by ?? "", reversedAt: row.reversed_at } : undefined,
  remittance: row.remittance ?? undefined,
});

// A receipt with its reversal, if any (at most one: the reversal's key is the receipt's reference).
const receiptColumns = `r.reference, r.case_id, r.amount_minor, r.currency, r.received_by, r.received_at, v.reason, v.reversed_by, v.reversed_at, r.remittance
  FROM carrier_recovery_receipts r LEFT JOIN carrier_recovery_reversals v USING (reference)`;

/** Carrier recoveries and their receipts (migration 014). */
export const carrierRecoveryRepository = {
  /**
   * Records what settled claims make due, one statement for a batch's, each due `dueDays` after
   * its settlement; a case recorded already (the settlement delivered again) is left as it is.
   * Returns the new ones, for their overdue timers.
   */
  async recordDue(tx: pg.ClientBase, due: readonly RecoveryDue[], dueDays: number): Promise<{ caseId: string; orderId: string; dueBy: Date }[]> {
    if (due.length === 0) return [];
    const { rows } = await tx.query<{ case_id: string; order_id: string; due_by: Date }>(
      `INSERT INTO carrier_recoveries (case_id, order_id, store_id, carrier, carrier_reference, due_minor, currency, settled_at, due_by)
       SELECT d.case_id, d.order_id, d.store_id, d.carrier, d.carrier_reference, d.due_minor,
              -- A settlement announced before the event named its currency: the order's, as billing holds it.
              coalesce(nullif(d.currency, ''), s.currency, p.currency, 'CNY'), d.settled_at,
              d.settled_at + make_interval(secs => $9::float8 * 86400)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::timestamptz[])
              AS d (case_id, order_id, store_id, carrier, carrier_reference, due_minor, currency, settled_at)
       LEFT JOIN settlements s ON s.order_id = d.order_id
       LEFT JOIN prepayments p ON p.order_id = d.order_id
       ON CONFLICT (case_id) DO NOTHING
       RETURNING case_id, order_id, due_by`,
      [
        due.map((d) => d.caseId),
        due.map((d) => d.orderId),
        due.map((d) => d.storeId),
        due.map((d) => d.carrier),
        due.map((d) => d.carrierReference),
        due.map((d) => d.dueMinor),
        due.map((d) => d.currency),
        due.map((d) => d.settledAt),
        dueDays,
      ],
    );
    return rows.map((r) => ({ caseId: r.case_id, orderId: r.order_id, dueBy: r.due_by }));
  },

  /** The recovery, locked for a receipt: two receipts of one recovery are booked one after the other. */
  async lock(tx: pg.ClientBase, caseId: string): Promise<StoredRecovery | undefined> {
    const { rows } = await tx.query<RecoveryRow>(`SELECT ${columns} FROM carrier_recoveries WHERE case_id = $1 FOR UPDATE`, [caseId]);
    return rows[0] ? recoveryOf(rows[0]) : undefined;
  },

  /**
   * The recoveries of these cases, each locked, in case order (as any two commands take them, so
   * a remittance and a receipt on shared recoveries wait, never deadlock); those billing holds.
   */
  async lockAll(tx: pg.ClientBase, caseIds: readonly string[]): Promise<Map<string, StoredRecovery>> {
    const { rows } = await tx.query<RecoveryRow>(`SELECT ${columns} FROM carrier_recoveries WHERE case_id = ANY($1::text[]) ORDER BY case_id COLLATE "C" FOR UPDATE`, [caseIds]);
    return new Map(rows.map((row) => [row.case_id, recoveryOf(row)]));
  },

  async findAll(db: pg.ClientBase | pg.Pool, caseIds: readonly string[]): Promise<Map<string, StoredRecovery>> {
    const { rows } = await db.query<RecoveryRow>(`SELECT ${columns} FROM carrier_recoveries WHERE case_id = ANY($1::text[])`, [caseIds]);
    return new Map(rows.map((row) => [row.case_id, recoveryOf(row)]));
  },

  /** The store of the case's recovery; undefined when billing holds none. */
  async storeOf(db: pg.ClientBase | pg.Pool, caseId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ store_id: string }>("SELECT store_id FROM carrier_recoveries WHERE case_id = $1", [caseId]);
    return rows[0]?.store_id;
  },

  async receiptUnder(tx: pg.ClientBase, reference: string): Promise<StoredReceipt | undefined> {
    const { rows } = await tx.query<ReceiptRow>(`SELECT ${receiptColumns} WHERE r.reference = $1`, [reference]);
    return rows[0] ? receiptOf(rows[0]) : undefined;
  },

  /**
   * Books a receipt and adds it to its recovery (locked by the caller). False when the reference
   * was taken meanwhile by another recovery's receipt (its lock is not this one's): nothing written.
   */
  async book(tx: pg.ClientBase, recovery: CarrierRecovery, receipt: { reference: string; amountMinor: number; receivedBy: string }): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO carrier_recovery_receipts (reference, case_id, amount_minor, currency, received_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reference) DO NOTHING`,
      [receipt.reference, recovery.caseId, receipt.amountMinor, recovery.currency, receipt.receivedBy],
    );
    if (rowCount !== 1) return false;
    await tx.query("UPDATE carrier_recoveries SET received_minor = received_minor + $2 WHERE case_id = $1", [recovery.caseId, receipt.amountMinor]);
    return true;
  },

  async find(db: pg.ClientBase | pg.Pool, caseId: string): Promise<StoredRecovery | undefined> {
    const { rows } = await db.query<RecoveryRow>(`SELECT ${columns} FROM carrier_recoveries WHERE case_id = $1`, [caseId]);
    return rows[0] ? recoveryOf(rows[0]) : undefined;
  },

  /**
   * A page of a store's recoveries, the earliest due-by first and ties by case id (byte order, as
   * the index keeps it), `size` of them after `after`, with each one's position for the next
   * page's token; `outstandingOnly` leaves out those received in full, `overdueOnly` those too and
   * any whose due-by time is still ahead. One keyset condition, the first page's bound -infinity.
   */
  async listByStore(
    db: pg.ClientBase | pg.Pool,
    storeId: string,
    filter: { outstandingOnly: boolean; overdueOnly: boolean },
    size: number,
    after: { dueByMicros: string; caseId: string } | undefined,
  ): Promise<(StoredRecovery & { position: { dueByMicros: string; caseId: string } })[]> {
    const { rows } = await db.query<RecoveryRow & { due_by_micros: string }>(
      `SELECT ${columns}, (extract(epoch FROM due_by) * 1000000)::bigint::text AS due_by_micros FROM carrier_recoveries
       WHERE store_id = $1 AND (NOT $2::boolean OR received_minor < due_minor)
         AND (NOT $4::boolean OR (received_minor < due_minor AND due_by <= now()))
         AND (due_by, case_id COLLATE "C") > (COALESCE(timestamptz 'epoch' + $5::bigint * interval '1 microsecond', '-infinity'), COALESCE($6::text, ''))
       ORDER BY due_by, case_id COLLATE "C" LIMIT $3`,
      [storeId, filter.outstandingOnly, size, filter.overdueOnly, after?.dueByMicros ?? null, after?.caseId ?? null],
    );
    return rows.map((row) => ({ ...recoveryOf(row), position: { dueByMicros: row.due_by_micros, caseId: row.case_id } }));
  },

  /**
   * A reconciliation's period of the store: the recoveries whose claims were settled in it, the
   * receipts booked in it and the reversals made in it, on any of the store's recoveries.
   */
  async ofPeriod(
    db: pg.ClientBase | pg.Pool,
    storeId: string,
    from: Date,
    until: Date,
  ): Promise<{ settled: StoredRecovery[]; booked: { amountMinor: number; currency: string }[]; reversed: { amountMinor: number; currency: string }[] }> {
    const settled = await db.query<RecoveryRow>(
      `SELECT ${columns} FROM carrier_recoveries WHERE store_id = $1 AND settled_at >= $2 AND settled_at < $3 ORDER BY settled_at, case_id`,
      [storeId, from, until],
    );
    const booked = await db.query<{ amount_minor: string; currency: string }>(
      `SELECT r.amount_minor, r.currency FROM carrier_recovery_receipts r JOIN carrier_recoveries c USING (case_id)
       WHERE c.store_id = $1 AND r.received_at >= $2 AND r.received_at < $3 ORDER BY r.position`,
      [storeId, from, until],
    );
    const reversed = await db.query<{ amount_minor: string; currency: string }>(
      `SELECT v.amount_minor, v.currency FROM carrier_recovery_reversals v JOIN carrier_recoveries c USING (case_id)
       WHERE c.store_id = $1 AND v.reversed_at >= $2 AND v.reversed_at < $3 ORDER BY v.reversed_at, v.reference`,
      [storeId, from, until],
    );
    const money = (rows: { amount_minor: string; currency: string }[]) => rows.map((r) => ({ amountMinor: Number(r.amount_minor), currency: r.currency }));
    return { settled: settled.rows.map(recoveryOf), booked: money(booked.rows), reversed: money(reversed.rows) };
  },

  /** The receipts of these recoveries, each recovery's in the order they were booked. */
  async receiptsOf(db: pg.ClientBase | pg.Pool, caseIds: readonly string[]): Promise<StoredReceipt[]> {
    if (caseIds.length === 0) return [];
    const { rows } = await db.query<ReceiptRow>(`SELECT ${receiptColumns} WHERE r.case_id = ANY($1::text[]) ORDER BY r.case_id, r.position`, [caseIds]);
    return rows.map(receiptOf);
  },
};
