import type pg from "pg";
import type { AfterSalesCase, CaseCause, CaseChannel, CaseLine, CaseStatus } from "../../domain/case.ts";
import type { RefundShortfall } from "../../domain/case-refunds.ts";
import { carrierClaimColumns, carrierClaimFromRow, type CarrierClaimRow } from "./carrier-claim-repository.ts";
import { clearedReplacementLate, levelReachedFromRow, replacementLateColumns, replacementLateCondition, replacementLateFromRow, type ReplacementLateRow } from "./replacement-late-repository.ts";
import type { CaseReplacement, ReplacementStatus } from "../../domain/case-replacement.ts";
import { storedVisit, visitFromStored, type StoredVisit, visitInReworkCondition } from "./stored-visit.ts";
import type { CaseKind } from "../../domain/policy.ts";
import type { CaseListOrder, CasePosition } from "../../app/queries/case-pages.ts";
import { caseListKeyset, microsOf } from "./list-keysets.ts";

interface CaseRow extends CarrierClaimRow, ReplacementLateRow {
  case_id: string;
  order_id: string;
  store_id: string;
  kind: CaseKind;
  channel: CaseChannel;
  /** Empty once sealed; an old row not yet upgraded holds the words here (migration 012). */
  description: string;
  description_sealed: Buffer | null;
  lines: CaseLine[];
  status: CaseStatus;
  opened_by: string;
  opened_at: Date;
  correlation_id: string;
  within_policy: boolean;
  policy_note: string;
  assignee_staff_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  respond_by: Date | null;
  answered_at: Date | null;
  answer: string | null;
  answered_by: string | null;
  escalated_at: Date | null;
  resolution: string | null;
  cause: CaseCause | null;
  /** bigint: pg hands it over as text. */
  refund_minor: string;
  resolved_by: string | null;
  resolved_at: Date | null;
  goods_restocked: number;
  goods_written_off: number;
  goods_received_at: Date | null;
  goods_called_off_at: Date | null;
  goods_called_off_reason: string | null;
  goods_called_off_reason_sealed: Buffer | null;
  visit: StoredVisit | null;
  replacement: { status: ReplacementStatus; carrier: string; trackingNumber: string; at: string; storeId?: string; pickedAt?: string; packedAt?: string } | null;
  /** Read as text (YYYY-MM-DD): a date handed over as a Date would shift with the server's time zone. */
  replacement_expected_restock: string | null;
  refunded_minor: string;
  refund_shortfall_requested_minor: string | null;
  refund_shortfall_refunded_minor: string | null;
  refund_shortfall_reason: string | null;
  refund_shortfall_at: Date | null;
  refund_shortfall_settled_at: Date | null;
  refund_shortfall_settled_by: string | null;
  refund_shortfall_settled_reference: string | null;
  refund_shortfall_settled_note: string | null;
}

const columns = `case_id, order_id, store_id, kind, channel, description, description_sealed, lines, status, opened_by, opened_at, correlation_id, within_policy,
  policy_note, assignee_staff_id, decided_by, decided_at, decision_note, respond_by, answered_at, answer, answered_by, escalated_at, resolution,
  cause, refund_minor, resolved_by, resolved_at`;
// Read with the case; written only by recordGoodsReceived, recordGoodsCalledOff, recordVisit, recordReplacement and case-refund-,
// carrier-claim- and replacement-late-repository.ts (a new case starts with the defaults).
const selected = `${columns}, goods_restocked, goods_written_off, goods_received_at, goods_called_off_at, goods_called_off_reason, goods_called_off_reason_sealed, visit, replacement,
  replacement_expected_restock::text AS replacement_expected_restock, refunded_minor, refund_shortfall_requested_minor, refund_shortfall_refunded_minor, refund_shortfall_reason, refund_shortfall_at,
  refund_shortfall_settled_at, refund_shortfall_settled_by, refund_shortfall_settled_reference, refund_shortfall_settled_note, ${carrierClaimColumns}, ${replacementLateColumns}`;

function shortfallFromRow(row: CaseRow): RefundShortfall | undefined {
  if (!row.refund_shortfall_at) return undefined;
  return {
    requestedMinor: Number(row.refund_shortfall_requested_minor),
    refundedMinor: Number(row.refund_shortfall_refunded_minor),
    reason: row.refund_shortfall_reason ?? "",
    at: row.refund_shortfall_at,
    ...(row.refund_shortfall_settled_at
      ? {
          settlement: {
            at: row.refund_shortfall_settled_at,
            by: row.refund_shortfall_settled_by ?? "",
            reference: row.refund_shortfall_settled_reference ?? "",
            note: row.refund_shortfall_settled_note ?? "",
          },
        }
      : {}),
  };
}

function replacementFromRow(row: CaseRow & { replacement: NonNullable<CaseRow["replacement"]> }): CaseReplacement {
  const { replacement: stored, replacement_expected_restock: expectedRestock } = row;
  const late = replacementLateFromRow(row);
  const { pickedAt, packedAt, ...kept } = stored;
  const steps = { ...(pickedAt ? { pickedAt: new Date(pickedAt) } : {}), ...(packedAt ? { packedAt: new Date(packedAt) } : {}) };
  return { ...kept, at: new Date(stored.at), ...steps, ...(expectedRestock ? { expectedRestockDate: expectedRestock } : {}), ...(late ? { late } : {}) };
}

const present = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } => (value === null ? {} : ({ [key]: value } as { [P in K]?: V }));

function fromRow(row: CaseRow): AfterSalesCase {
  return {
    caseId: row.case_id,
    orderId: row.order_id,
    storeId: row.store_id,
    kind: row.kind,
    channel: row.channel,
    description: row.description_sealed ? { sealed: row.description_sealed } : { clear: row.description },
    lines: row.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    status: row.status,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    correlationId: row.correlation_id,
    withinPolicy: row.within_policy,
    policyNote: row.policy_note,
    refundMinor: Number(row.refund_minor),
    refundedMinor: Number(row.refunded_minor),
    ...present("refundShortfall", shortfallFromRow(row) ?? null),
    goodsRestocked: row.goods_restocked,
    goodsWrittenOff: row.goods_written_off,
    ...present("goodsReceivedAt", row.goods_received_at),
    ...(row.goods_called_off_at ? { goodsCalledOff: { at: row.goods_called_off_at, reason: row.goods_called_off_reason_sealed ? { sealed: row.goods_called_off_reason_sealed } : { clear: row.goods_called_off_reason ?? "" } } } : {}),
    ...(row.visit ? { visit: visitFromStored(row.visit) } : {}),
    ...(row.replacement ? { replacement: replacementFromRow({ ...row, replacement: row.replacement }) } : {}),
    ...levelReachedFromRow(row),
    ...present("carrierClaim", carrierClaimFromRow(row)),
    ...present("assigneeStaffId", row.assignee_staff_id),
    ...present("decidedBy", row.decided_by),
    ...present("decidedAt", row.decided_at),
    ...present("decisionNote", row.decision_note),
    ...present("respondBy", row.respond_by),
    ...present("answeredAt", row.answered_at),
    ...present("answer", row.answer),
    ...present("answeredBy", row.answered_by),
    ...present("escalatedAt", row.escalated_at),
    ...present("resolution", row.resolution),
    ...present("cause", row.cause),
    ...present("resolvedBy", row.resolved_by),
    ...present("resolvedAt", row.resolved_at),
  };
}

/** A case as it is stored from now on: the customer's words sealed (app/sealed-words.ts), never in the clear. */
export type CaseToStore = AfterSalesCase & { description: { sealed: Uint8Array } };

/** Every column's value of a new case, in `columns`' order. */
function valuesOf(c: CaseToStore): unknown[] {
  return [
    c.caseId,
    c.orderId,
    c.storeId,
    c.kind,
    c.channel,
    "",
    Buffer.from(c.description.sealed),
    JSON.stringify(c.lines),
    c.status,
    c.openedBy,
    c.openedAt,
    c.correlationId,
    c.withinPolicy,
    c.policyNote,
    c.assigneeStaffId ?? null,
    c.decidedBy ?? null,
    c.decidedAt ?? null,
    c.decisionNote ?? null,
    c.respondBy ?? null,
    c.answeredAt ?? null,
    c.answer ?? null,
    c.answeredBy ?? null,
    c.escalatedAt ?? null,
    c.resolution ?? null,
    c.cause ?? null,
    c.refundMinor,
    c.resolvedBy ?? null,
    c.resolvedAt ?? null,
  ];
}

const placeholders = Array.from({ length: 28 }, (_, i) => `$${i + 1}`).join(", ");

export interface CaseFilter {
  storeId?: string;
  orderId?: string;
  status?: string;
  kind?: string;
  /** Only cases whose refund fell short (billing's CaseRefundShortfall) and finance has not settled yet. */
  refundShortfall?: boolean;
  /** Only cases whose replacement is late to ship now, the longest overdue first (ADR 030, sixth addendum). */
  replacementLate?: boolean;
  /** Only visits awaiting a rework round's report (ADR 025, twenty-sixth-session addendum). */
  inRework?: boolean;
}

/** The order a list with `filter` is read in, which its page token keeps. */
export const caseListOrderOf = (filter: Pick<CaseFilter, "replacementLate">): CaseListOrder => (filter.replacementLate ? "earliest-due-first" : "newest-first");

/** After-sales cases in their schema. Writes take the caller's transaction. */
export const caseRepository = {
  /** Stores a new case; false when its id is taken (a twin waits here for the first to commit, then the caller reads it). */
  async insertIfNew(tx: pg.ClientBase, opened: CaseToStore): Promise<boolean> {
    const { rowCount } = await tx.query(`INSERT INTO cases (${columns}) VALUES (${placeholders}) ON CONFLICT (case_id) DO NOTHING`, valuesOf(opened));
    return rowCount === 1;
  },

  /** The case, locked until the caller's transaction ends: its changes are taken one after the other. */
  async lockById(tx: pg.ClientBase, caseId: string): Promise<AfterSalesCase | undefined> {
    const { rows } = await tx.query<CaseRow>(`SELECT ${selected} FROM cases WHERE case_id = $1 FOR UPDATE`, [caseId]);
    return rows[0] && fromRow(rows[0]);
  },

  async findById(db: pg.Pool | pg.ClientBase, caseId: string): Promise<AfterSalesCase | undefined> {
    const { rows } = await db.query<CaseRow>(`SELECT ${selected} FROM cases WHERE case_id = $1`, [caseId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Writes a locked case as it now stands (its id, order and opening never change). */
  async save(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const { rowCount } = await tx.query(
      `UPDATE cases SET status = $2, assignee_staff_id = $3, decided_by = $4, decided_at = $5, decision_note = $6, answered_at = $7,
         answer = $8, escalated_at = $9, resolution = $10, cause = $11, refund_minor = $12, resolved_by = $13, resolved_at = $14,
         answered_by = $15, visit = $16
       WHERE case_id = $1`,
      [
        c.caseId,
        c.status,
        c.assigneeStaffId ?? null,
        c.decidedBy ?? null,
        c.decidedAt ?? null,
        c.decisionNote ?? null,
        c.answeredAt ?? null,
        c.answer ?? null,
        c.escalatedAt ?? null,
        c.resolution ?? null,
        c.cause ?? null,
        c.refundMinor,
        c.resolvedBy ?? null,
        c.resolvedAt ?? null,
        c.answeredBy ?? null,
        storedVisit(c.visit),
      ],
    );
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its change was written`);
  },

  /** The goods the warehouse received back for a locked case, as they now stand. */
  async recordGoodsReceived(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const { rowCount } = await tx.query("UPDATE cases SET goods_restocked = $2, goods_written_off = $3, goods_received_at = $4 WHERE case_id = $1", [
      c.caseId,
      c.goodsRestocked,
      c.goodsWrittenOff,
      c.goodsReceivedAt ?? null,
    ]);
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its returned goods were written`);
  },

  /** A locked case's goods called off: when and why (sealed as it came; in the clear only from an event from before the sealing). */
  async recordGoodsCalledOff(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const reason = c.goodsCalledOff?.reason;
    const { rowCount } = await tx.query("UPDATE cases SET goods_called_off_at = $2, goods_called_off_reason = $3, goods_called_off_reason_sealed = $4 WHERE case_id = $1", [
      c.caseId,
      c.goodsCalledOff?.at ?? null,
      reason ? ("clear" in reason ? reason.clear : "") : null,
      reason && "sealed" in reason ? Buffer.from(reason.sealed) : null,
    ]);
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its goods' call-off was written`);
  },

  /**
   * A locked exchange's replacement as it now stands (ADR 030), its restock date in a column (013); moved on, it is not late
   * (019's cleared). One still late as the domain left it (a clerk step of another deadline than the one missed) keeps its
   * lateness columns as they are.
   */
  async recordReplacement(tx: pg.ClientBase, c: AfterSalesCase & { replacement: CaseReplacement }): Promise<void> {
    const { expectedRestockDate, late, ...stored } = c.replacement;
    const clearing = late ? "" : `, ${clearedReplacementLate}`;
    const { rowCount } = await tx.query(`UPDATE cases SET replacement = $2, replacement_expected_restock = $3${clearing} WHERE case_id = $1`, [
      c.caseId,
      JSON.stringify(stored),
      expectedRestockDate || null,
    ]);
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its replacement was written`);
  },

  /** The visit of a locked case as it now stands (ADR 025). */
  async recordVisit(tx: pg.ClientBase, c: AfterSalesCase): Promise<void> {
    const { rowCount } = await tx.query("UPDATE cases SET visit = $2 WHERE case_id = $1", [c.caseId, storedVisit(c.visit)]);
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its visit was written`);
  },

  /** Cases whose description is still in the clear (stored before migration 012), locked; those other instances hold are skipped. */
  async lockClearDescriptions(tx: pg.ClientBase, limit: number): Promise<{ caseId: string; description: string }[]> {
    const { rows } = await tx.query<{ case_id: string; description: string }>(
      "SELECT case_id, description FROM cases WHERE description_sealed IS NULL ORDER BY case_id LIMIT $1 FOR UPDATE SKIP LOCKED",
      [limit],
    );
    return rows.map((row) => ({ caseId: row.case_id, description: row.description }));
  },

  /** A locked old case's description sealed in place, its clear column emptied. */
  async sealDescription(tx: pg.ClientBase, caseId: string, sealed: Uint8Array): Promise<void> {
    const { rowCount } = await tx.query("UPDATE cases SET description_sealed = $2, description = '' WHERE case_id = $1", [caseId, Buffer.from(sealed)]);
    if (rowCount !== 1) throw new Error(`case ${caseId} vanished before its description was sealed`);
  },

  /** Cases whose goods' call-off reason is still in the clear (stored before migration 018), locked; those other instances hold are skipped. */
  async lockClearCallOffReasons(tx: pg.ClientBase, limit: number): Promise<{ caseId: string; reason: string }[]> {
    const { rows } = await tx.query<{ case_id: string; reason: string }>(
      `SELECT case_id, goods_called_off_reason AS reason FROM cases
        WHERE goods_called_off_at IS NOT NULL AND goods_called_off_reason_sealed IS NULL ORDER BY case_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({ caseId: row.case_id, reason: row.reason }));
  },

  /** A locked old case's call-off reason sealed in place, its clear column emptied. */
  async sealCallOffReason(tx: pg.ClientBase, caseId: string, sealed: Uint8Array): Promise<void> {
    const { rowCount } = await tx.query("UPDATE cases SET goods_called_off_reason_sealed = $2, goods_called_off_reason = '' WHERE case_id = $1", [caseId, Buffer.from(sealed)]);
    if (rowCount !== 1) throw new Error(`case ${caseId} vanished before its call-off reason was sealed`);
  },

  /** What the order's resolved cases other than `caseId` gave back, in minor units. */
  async refundedByOtherCases(tx: pg.ClientBase, orderId: string, caseId: string): Promise<number> {
    const { rows } = await tx.query<{ refunded: string }>(
      "SELECT coalesce(sum(refund_minor), 0) AS refunded FROM cases WHERE order_id = $1 AND case_id <> $2 AND status = 'resolved'",
      [orderId, caseId],
    );
    return Number(rows[0]!.refunded);
  },

  /**
   * What the order's returns and exchanges other than `caseId`, declined ones aside, named,
   * by SKU. Read under the order's facts lock (OpenCase), so two cases opened at once are
   * counted one after the other.
   */
  async quantitiesNamedByOtherCases(tx: pg.ClientBase, orderId: string, caseId: string): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ sku: string; quantity: number }>(
      `SELECT l.sku, sum(l.quantity)::int AS quantity FROM cases c, jsonb_to_recordset(c.lines) AS l(sku text, quantity int)
       WHERE c.order_id = $1 AND c.case_id <> $2 AND c.status <> 'declined' AND c.kind IN ('return', 'exchange')
       GROUP BY l.sku`,
      [orderId, caseId],
    );
    return new Map(rows.map((row) => [row.sku, row.quantity]));
  },

  /**
   * A store's or an order's cases (or every store's short refunds), newest first, narrowed by
   * status and kind; a page of `page.size` after `page.after`, each with its position as the
   * token keeps it. Only the filters given make the statement, so each shape uses its index
   * (store and time, order, or the partial index of short refunds).
   */
  async list(db: pg.Pool | pg.ClientBase, filter: CaseFilter, page: { size: number; after: CasePosition | undefined }): Promise<{ listed: AfterSalesCase; position: CasePosition }[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    for (const [column, value] of [["store_id", filter.storeId], ["order_id", filter.orderId], ["status", filter.status], ["kind", filter.kind]] as const) {
      if (value === undefined) continue;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    }
    // The partial index's own condition (migration 010): a settled shortfall is off the worklist.
    if (filter.refundShortfall) conditions.push("refund_shortfall_at IS NOT NULL AND refund_shortfall_settled_at IS NULL");
    if (filter.replacementLate) conditions.push(replacementLateCondition);
    if (filter.inRework) conditions.push(visitInReworkCondition);
    // Late replacements are chased longest overdue first (migration 019's index); the rest newest first.
    const keyset = caseListKeyset(caseListOrderOf(filter));
    if (page.after) conditions.push(keyset.after(values.push(page.after.atMicros), values.push(page.after.caseId)));
    const limit = values.push(page.size);
    const { rows } = await db.query<CaseRow & { at_micros: string }>(
      `SELECT ${selected}, ${microsOf(keyset.timeColumn)} AS at_micros FROM cases ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
       ORDER BY ${keyset.orderBy} LIMIT $${limit}`,
      values,
    );
    return rows.map((row) => ({ listed: fromRow(row), position: { atMicros: row.at_micros, caseId: row.case_id } }));
  },
};
