import type pg from "pg";
import type { StoredText } from "@oms/sealing";
import type { DisputePosition } from "../../app/disputes/dispute-pages.ts";
import type { DisputeKind, DisputeState, Resolution } from "../../domain/settlement-dispute.ts";

/** The opener's words as stored: sealed (app/disputes/dispute-statements.ts), or in the clear on a row from before sealing not yet upgraded. */
export type StoredStatement = StoredText;

/** A dispute as stored, its findings and resolution included. */
export interface DisputeRecord extends DisputeState {
  statement: StoredStatement;
  storeId: string;
  requestId: string;
  currency: string;
  openedAt: Date;
  respondBy: Date;
  correlationId: string;
  escalatedAt?: Date;
  resolution?: Resolution & { refundIds: string[]; resolvedBy: string; resolvedAt: Date };
  findings: FindingRecord[];
}

export interface FindingRecord {
  findingId: string;
  department: string;
  finding: string;
  recordedBy: string;
  recordedAt: Date;
}

interface DisputeRow {
  dispute_id: string;
  order_id: string;
  store_id: string;
  request_id: string;
  kind: DisputeKind;
  amount_minor: number;
  currency: string;
  statement: string;
  statement_sealed: Buffer | null;
  departments: string[];
  opened_by: string;
  opened_at: Date;
  respond_by: Date;
  correlation_id: string;
  escalated_at: Date | null;
  outcome: "upheld" | "rejected" | null;
  correction: "refund" | "invoice-correction" | null;
  refund_minor: number | null;
  refund_ids: string[];
  document_number: string | null;
  reason: string | null;
  customer_answer: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

const columns = `dispute_id, order_id, store_id, request_id, kind, amount_minor, currency, statement, statement_sealed, departments, opened_by, opened_at, respond_by,
  correlation_id, escalated_at, outcome, correction, refund_minor, refund_ids, document_number, reason, customer_answer, resolved_by, resolved_at`;

function resolutionOf(row: DisputeRow): DisputeRecord["resolution"] {
  if (!row.outcome || !row.resolved_at) return undefined;
  const common = { reason: row.reason ?? "", customerAnswer: row.customer_answer ?? "", refundIds: row.refund_ids, resolvedBy: row.resolved_by ?? "", resolvedAt: row.resolved_at };
  if (row.outcome === "rejected") return { outcome: "rejected", ...common };
  if (row.correction === "refund") return { outcome: "upheld", correction: "refund", refundMinor: Number(row.refund_minor ?? 0), ...common };
  return { outcome: "upheld", correction: "invoice-correction", documentNumber: row.document_number ?? "", ...common };
}

function fromRow(row: DisputeRow, findings: FindingRecord[]): DisputeRecord {
  return {
    disputeId: row.dispute_id,
    orderId: row.order_id,
    storeId: row.store_id,
    requestId: row.request_id,
    kind: row.kind,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    statement: row.statement_sealed ? { sealed: row.statement_sealed } : { clear: row.statement },
    departments: row.departments,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    respondBy: row.respond_by,
    correlationId: row.correlation_id,
    escalatedAt: row.escalated_at ?? undefined,
    resolved: row.resolved_at !== null,
    escalated: row.escalated_at !== null,
    resolution: resolutionOf(row),
    findings,
  };
}

async function withFindings(db: pg.Pool | pg.ClientBase, rows: DisputeRow[]): Promise<DisputeRecord[]> {
  if (rows.length === 0) return [];
  const { rows: found } = await db.query<{ dispute_id: string; finding_id: string; department: string; finding: string; recorded_by: string; recorded_at: Date }>(
    "SELECT dispute_id, finding_id, department, finding, recorded_by, recorded_at FROM dispute_findings WHERE dispute_id = ANY($1::text[]) ORDER BY position",
    [rows.map((r) => r.dispute_id)],
  );
  const byDispute = new Map<string, FindingRecord[]>();
  for (const f of found) {
    const list = byDispute.get(f.dispute_id) ?? [];
    list.push({ findingId: f.finding_id, department: f.department, finding: f.finding, recordedBy: f.recorded_by, recordedAt: f.recorded_at });
    byDispute.set(f.dispute_id, list);
  }
  return rows.map((row) => fromRow(row, byDispute.get(row.dispute_id) ?? []));
}

export interface NewDispute {
  disputeId: string;
  orderId: string;
  storeId: string;
  requestId: string;
  kind: DisputeKind;
  amountMinor: number;
  currency: string;
  /** Sealed by the caller, bound to the dispute's id. */
  sealedStatement: Buffer;
  departments: readonly string[];
  openedBy: string;
  respondBy: Date;
  correlationId: string;
}

/** Settlement disputes and their findings, in billing's schema. Writes take the caller's transaction. */
export const disputeRepository = {
  /** The dispute an opener's request id holds on the order (the caller holds the order's money lock). */
  async findByRequest(db: pg.Pool | pg.ClientBase, orderId: string, requestId: string): Promise<DisputeRecord | undefined> {
    const { rows } = await db.query<DisputeRow>(`SELECT ${columns} FROM settlement_disputes WHERE order_id = $1 AND request_id = $2`, [orderId, requestId]);
    return (await withFindings(db, rows))[0];
  },

  /** The dispute, its row locked until the transaction ends: findings, the resolution and the timer take it one at a time. */
  async lock(tx: pg.ClientBase, disputeId: string): Promise<DisputeRecord | undefined> {
    const { rows } = await tx.query<DisputeRow>(`SELECT ${columns} FROM settlement_disputes WHERE dispute_id = $1 FOR UPDATE`, [disputeId]);
    return (await withFindings(tx, rows))[0];
  },

  async find(db: pg.Pool | pg.ClientBase, disputeId: string): Promise<DisputeRecord | undefined> {
    const { rows } = await db.query<DisputeRow>(`SELECT ${columns} FROM settlement_disputes WHERE dispute_id = $1`, [disputeId]);
    return (await withFindings(db, rows))[0];
  },

  /**
   * An order's, several orders' or a store's disputes, oldest first (id breaking a tie); `status`
   * narrows to open or resolved ones. With `page`, `page.size` of them after `page.after` (a store's
   * list is paged, each with its position as the token keeps it); without, at most 1000 (several
   * orders' disputes: at most 200 orders, a few disputes each).
   */
  async list(
    db: pg.Pool | pg.ClientBase,
    by: { orderIds?: readonly string[]; storeId?: string; status?: "open" | "resolved" },
    page?: { size: number; after: DisputePosition | undefined },
  ): Promise<Array<DisputeRecord & { position: DisputePosition }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (by.orderIds) where.push(`order_id = ANY($${params.push([...by.orderIds])}::text[])`);
    if (by.storeId) where.push(`store_id = $${params.push(by.storeId)}`);
    if (by.status === "open") where.push("resolved_at IS NULL");
    if (by.status === "resolved") where.push("resolved_at IS NOT NULL");
    if (page?.after) {
      const at = params.push(page.after.openedAtMicros);
      const id = params.push(page.after.disputeId);
      where.push(`(opened_at, dispute_id COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")`);
    }
    const limit = params.push(page ? page.size : 1000);
    const { rows } = await db.query<DisputeRow & { opened_at_micros: string }>(
      `SELECT ${columns}, (extract(epoch FROM opened_at) * 1000000)::bigint::text AS opened_at_micros FROM settlement_disputes
       WHERE ${where.join(" AND ")} ORDER BY opened_at, dispute_id COLLATE "C" LIMIT $${limit}`,
      params,
    );
    const positions = new Map(rows.map((r) => [r.dispute_id, { openedAtMicros: r.opened_at_micros, disputeId: r.dispute_id }]));
    return (await withFindings(db, rows)).map((d) => ({ ...d, position: positions.get(d.disputeId)! }));
  },

  async insert(tx: pg.ClientBase, d: NewDispute): Promise<Date> {
    const { rows } = await tx.query<{ opened_at: Date }>(
      `INSERT INTO settlement_disputes (dispute_id, order_id, store_id, request_id, kind, amount_minor, currency, statement, statement_sealed, departments, opened_by, respond_by, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, $12) RETURNING opened_at`,
      [d.disputeId, d.orderId, d.storeId, d.requestId, d.kind, d.amountMinor, d.currency, d.sealedStatement, [...d.departments], d.openedBy, d.respondBy, d.correlationId],
    );
    return rows[0]!.opened_at;
  },

  async findingOf(db: pg.Pool | pg.ClientBase, disputeId: string, findingId: string): Promise<FindingRecord | undefined> {
    const { rows } = await db.query<{ finding_id: string; department: string; finding: string; recorded_by: string; recorded_at: Date }>(
      "SELECT finding_id, department, finding, recorded_by, recorded_at FROM dispute_findings WHERE dispute_id = $1 AND finding_id = $2",
      [disputeId, findingId],
    );
    const f = rows[0];
    return f && { findingId: f.finding_id, department: f.department, finding: f.finding, recordedBy: f.recorded_by, recordedAt: f.recorded_at };
  },

  async insertFinding(tx: pg.ClientBase, disputeId: string, f: Omit<FindingRecord, "recordedAt">): Promise<Date> {
    const { rows } = await tx.query<{ recorded_at: Date }>(
      "INSERT INTO dispute_findings (dispute_id, finding_id, department, finding, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING recorded_at",
      [disputeId, f.findingId, f.department, f.finding, f.recordedBy],
    );
    return rows[0]!.recorded_at;
  },

  async resolve(tx: pg.ClientBase, disputeId: string, r: Resolution & { refundIds: readonly string[]; resolvedBy: string }): Promise<Date> {
    const { rows } = await tx.query<{ resolved_at: Date }>(
      `UPDATE settlement_disputes SET outcome = $2, correction = $3, refund_minor = $4, refund_ids = $5, document_number = $6, reason = $7,
              customer_answer = $8, resolved_by = $9, resolved_at = now()
       WHERE dispute_id = $1 AND resolved_at IS NULL RETURNING resolved_at`,
      [
        disputeId,
        r.outcome,
        r.outcome === "upheld" ? r.correction : null,
        r.outcome === "upheld" && r.correction === "refund" ? r.refundMinor : null,
        [...r.refundIds],
        r.outcome === "upheld" && r.correction === "invoice-correction" ? r.documentNumber : null,
        r.reason,
        r.customerAnswer,
        r.resolvedBy,
      ],
    );
    if (!rows[0]) throw new Error(`dispute ${disputeId} was resolved while locked`);
    return rows[0].resolved_at;
  },

  /**
   * Up to `limit` disputes stored before sealing, locked, skipping those another instance is
   * sealing: the upgrade at billing's start takes them a batch per transaction.
   */
  async lockClearStatements(tx: pg.ClientBase, limit: number): Promise<{ disputeId: string; statement: string }[]> {
    const { rows } = await tx.query<{ dispute_id: string; statement: string }>(
      "SELECT dispute_id, statement FROM settlement_disputes WHERE statement_sealed IS NULL ORDER BY dispute_id LIMIT $1 FOR UPDATE SKIP LOCKED",
      [limit],
    );
    return rows.map((row) => ({ disputeId: row.dispute_id, statement: row.statement }));
  },

  async sealStatement(tx: pg.ClientBase, disputeId: string, sealed: Buffer): Promise<void> {
    await tx.query("UPDATE settlement_disputes SET statement_sealed = $2, statement = '' WHERE dispute_id = $1", [disputeId, sealed]);
  },

  async markEscalated(tx: pg.ClientBase, disputeId: string): Promise<void> {
    await tx.query("UPDATE settlement_disputes SET escalated_at = now() WHERE dispute_id = $1 AND escalated_at IS NULL", [disputeId]);
  },
};
