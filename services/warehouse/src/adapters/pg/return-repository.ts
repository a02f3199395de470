import type pg from "pg";
import type { ExpectedReturnPosition, PageAsked } from "../../app/queries/clerk-list-pages.ts";
import type { Actor } from "@oms/contracts";
import { statusOf, writtenOffOf, type ExpectedReturn, type ExpectedReturnLine, type ReturnKind, type ReturnReceipt } from "../../domain/returns.ts";

interface ExpectedReturnRow {
  case_id: string;
  order_id: string;
  store_id: string;
  kind: ReturnKind;
  lines: ExpectedReturnLine[];
  expected_since: Date;
  receipt_ids: string[];
  called_off_at: Date | null;
  called_off_by: string | null;
  called_off_reason: string | null;
}

// The receipts as a column, in booking order: the view names them, and a repeat is recognised by them.
const columns = `r.case_id, r.order_id, r.store_id, r.kind, r.lines, r.expected_since, r.called_off_at, r.called_off_by, r.called_off_reason,
  coalesce((SELECT array_agg(x.receipt_id ORDER BY x.received_at, x.receipt_id) FROM return_receipts x WHERE x.case_id = r.case_id), '{}') AS receipt_ids`;

function fromRow(row: ExpectedReturnRow): ExpectedReturn {
  return {
    caseId: row.case_id,
    orderId: row.order_id,
    storeId: row.store_id,
    kind: row.kind,
    lines: row.lines.map((l) => ({ sku: l.sku, expected: l.expected, restocked: l.restocked, writtenOff: l.writtenOff })),
    expectedSince: row.expected_since,
    receiptIds: row.receipt_ids,
    ...(row.called_off_at && { calledOff: { at: row.called_off_at, by: row.called_off_by ?? "", reason: row.called_off_reason ?? "" } }),
  };
}

/** Expected returns, their receipts and the write-offs of what came back unfit to sell. Writes take the caller's transaction. */
export const returnRepository = {
  /**
   * Puts the returns on record, one statement for a consumer's batch; a case already
   * expected (its acceptance heard again) is left as it is, receipts and all.
   */
  async expectAll(tx: pg.ClientBase, returns: readonly ExpectedReturn[]): Promise<number> {
    if (returns.length === 0) return 0;
    const { rowCount } = await tx.query(
      `INSERT INTO expected_returns (case_id, order_id, store_id, kind, lines, expected_since)
       SELECT r.case_id, r.order_id, r.store_id, r.kind, r.lines, r.expected_since
       FROM jsonb_to_recordset($1::jsonb) AS r(case_id text, order_id text, store_id text, kind text, lines jsonb, expected_since timestamptz)
       ON CONFLICT (case_id) DO NOTHING`,
      [
        JSON.stringify(
          returns.map((r) => ({ case_id: r.caseId, order_id: r.orderId, store_id: r.storeId, kind: r.kind, lines: r.lines, expected_since: r.expectedSince.toISOString() })),
        ),
      ],
    );
    return rowCount ?? 0;
  },

  /** The return, unlocked: which store and SKUs a receipt will lock, before it locks them. */
  async find(db: pg.Pool | pg.ClientBase, caseId: string): Promise<ExpectedReturn | undefined> {
    const { rows } = await db.query<ExpectedReturnRow>(`SELECT ${columns} FROM expected_returns r WHERE r.case_id = $1`, [caseId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** The return, locked until the transaction ends: its receipts are booked one after the other. */
  async lock(tx: pg.ClientBase, caseId: string): Promise<ExpectedReturn | undefined> {
    // The row's lock first, then the return read in a statement of its own: a statement that
    // waited for the lock gets the row as its holder left it, but reads every other table
    // (the receipts) as they were when it began, without the receipt the holder just booked.
    const { rowCount } = await tx.query("SELECT 1 FROM expected_returns WHERE case_id = $1 FOR UPDATE", [caseId]);
    return rowCount ? returnRepository.find(tx, caseId) : undefined;
  },

  /** The receipt booked under this id for the case, if any; read under the return's lock, so a twin waits for it. */
  async findReceipt(tx: pg.ClientBase, caseId: string, receiptId: string): Promise<ReturnReceipt | undefined> {
    const { rows } = await tx.query<{ lines: ReturnReceipt["lines"] }>("SELECT lines FROM return_receipts WHERE case_id = $1 AND receipt_id = $2", [caseId, receiptId]);
    return rows[0] && { caseId, receiptId, lines: rows[0].lines };
  },

  /**
   * Books a receipt: the inspection as recorded, the return's running totals (and when it
   * came back whole), and a write-off row per group of units unfit to sell, with who and why.
   */
  async book(tx: pg.ClientBase, after: ExpectedReturn, receipt: ReturnReceipt, actor: Actor): Promise<void> {
    const restocked = receipt.lines.reduce((sum, l) => sum + l.resellable, 0);
    const writtenOff = receipt.lines.reduce((sum, l) => sum + writtenOffOf(l), 0);
    await tx.query(
      `INSERT INTO return_receipts (case_id, receipt_id, store_id, order_id, lines, restocked, written_off, received_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [after.caseId, receipt.receiptId, after.storeId, after.orderId, JSON.stringify(receipt.lines), restocked, writtenOff, `${actor.kind}:${actor.id}`],
    );
    await tx.query("UPDATE expected_returns SET lines = $2, received_at = CASE WHEN $3 THEN now() END WHERE case_id = $1", [
      after.caseId,
      JSON.stringify(after.lines),
      statusOf(after) === "received",
    ]);
    const writeOffs = receipt.lines.flatMap((line) => line.writeOffs.map((w) => ({ sku: line.sku, ...w })));
    if (writeOffs.length === 0) return;
    await tx.query(
      `INSERT INTO stock_write_offs (store_id, sku, quantity, condition, cause, case_id, receipt_id, order_id, actor_kind, actor_id, actor_role)
       SELECT $1, w.sku, w.quantity, w.condition, w.cause, $2, $3, $4, $5, $6, $7
       FROM jsonb_to_recordset($8::jsonb) AS w(sku text, quantity int, condition text, cause text)`,
      [after.storeId, after.caseId, receipt.receiptId, after.orderId, actor.kind, actor.id, actor.role, JSON.stringify(writeOffs)],
    );
  },

  /** Calls off a locked return: who, when and why, once (the row's check keeps the three together). */
  async callOff(tx: pg.ClientBase, after: ExpectedReturn): Promise<void> {
    if (!after.calledOff) throw new Error(`return ${after.caseId} is not called off`);
    const { at, by, reason } = after.calledOff;
    const { rowCount } = await tx.query(
      "UPDATE expected_returns SET called_off_at = $2, called_off_by = $3, called_off_reason = $4 WHERE case_id = $1 AND called_off_at IS NULL",
      [after.caseId, at, by, reason],
    );
    if (rowCount !== 1) throw new Error(`return ${after.caseId} was called off under its lock by someone else`);
  },

  /**
   * The store's returns still expected (not every unit back yet, not called off), the longest
   * expected first (case id breaking a tie): `page.size` of them after `page.after`, each with
   * its position as the page token keeps it.
   */
  async listOpen(db: pg.Pool | pg.ClientBase, storeId: string, page: PageAsked<ExpectedReturnPosition>): Promise<Array<ExpectedReturn & { position: ExpectedReturnPosition }>> {
    const params: unknown[] = [storeId];
    const where = ["r.store_id = $1", "r.received_at IS NULL", "r.called_off_at IS NULL"];
    if (page.after) {
      const at = params.push(page.after.expectedSinceMicros);
      const id = params.push(page.after.caseId);
      where.push(`(r.expected_since, r.case_id COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")`);
    }
    const { rows } = await db.query<ExpectedReturnRow & { since_micros: string }>(
      `SELECT ${columns}, (extract(epoch FROM r.expected_since) * 1000000)::bigint::text AS since_micros FROM expected_returns r
       WHERE ${where.join(" AND ")} ORDER BY r.expected_since, r.case_id COLLATE "C" LIMIT $${params.push(page.size)}`,
      params,
    );
    return rows.map((row) => ({ ...fromRow(row), position: { expectedSinceMicros: row.since_micros, caseId: row.case_id } }));
  },
};
