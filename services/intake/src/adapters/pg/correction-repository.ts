import type pg from "pg";
import { ConflictError } from "@oms/errors";
import type { QueuePosition } from "../../app/queue-pages.ts";
import type { CorrectionChanges, CorrectionStatus } from "../../domain/correction.ts";
import { queueKeyset } from "./queue-keyset.ts";

/**
 * A correction request, its decision and (once applied) what it replaced. `changes` and
 * `previous` may hold personal data (a phone number, an address): they are stored sealed
 * (migration 010) and opened here; never log them.
 */
export interface CorrectionRecord {
  correctionId: string;
  orderId: string;
  storeId: string;
  fields: string[];
  changes: CorrectionChanges;
  reason: string;
  status: CorrectionStatus;
  /** "kind:id" of who asked. */
  requestedBy: string;
  requestedAt: Date;
  previous: Record<string, unknown> | undefined;
  decidedBy: string | undefined;
  decidedAt: Date | undefined;
  /** The approval's note or the rejection's reason. */
  decisionText: string | undefined;
}

interface CorrectionRow {
  correction_id: string;
  order_id: string;
  store_id: string;
  fields: string[];
  changes: CorrectionChanges | null;
  sealed_changes: Buffer | null;
  reason: string;
  status: CorrectionStatus;
  requested_by: string;
  requested_at: Date;
  previous: Record<string, unknown> | null;
  sealed_previous: Buffer | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_text: string | null;
}

const columns =
  "correction_id, order_id, store_id, fields, changes, sealed_changes, reason, status, requested_by, requested_at, previous, sealed_previous, decided_by, decided_at, decision_text";

/** How a correction's values are sealed and opened (app/order-contacts.ts), bound to the correction. */
export interface CorrectionSeal {
  sealValue(value: unknown, boundTo: string): Buffer;
  openValue(sealed: Uint8Array, boundTo: string): unknown;
}

const UNIQUE_VIOLATION = "23505";

/** Corrections in intake's schema, their values sealed with `seal`. */
export function correctionRepositoryOf(seal: CorrectionSeal) {
  const boundTo = (correctionId: string, what: "changes" | "previous") => `correction:${correctionId}:${what}`;
  // A row stored before migration 010 holds its values in the clear until intake's start seals it.
  const recordOf = (r: CorrectionRow): CorrectionRecord => ({
    correctionId: r.correction_id,
    orderId: r.order_id,
    storeId: r.store_id,
    fields: r.fields,
    changes: r.sealed_changes ? (seal.openValue(r.sealed_changes, boundTo(r.correction_id, "changes")) as CorrectionChanges) : r.changes!,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    previous: r.sealed_previous ? (seal.openValue(r.sealed_previous, boundTo(r.correction_id, "previous")) as Record<string, unknown>) : (r.previous ?? undefined),
    decidedBy: r.decided_by ?? undefined,
    decidedAt: r.decided_at ?? undefined,
    decisionText: r.decision_text ?? undefined,
  });

  return {
    /** A new pending request; refused while the order has another one waiting (one open request per order). */
    async insertPending(tx: pg.ClientBase, c: Omit<CorrectionRecord, "status" | "previous" | "decidedBy" | "decidedAt" | "decisionText">): Promise<CorrectionRecord> {
      try {
        const { rows } = await tx.query<CorrectionRow>({
          name: "intake.corrections.insert",
          text: `INSERT INTO order_corrections (correction_id, order_id, store_id, fields, sealed_changes, reason, requested_by, requested_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
          values: [c.correctionId, c.orderId, c.storeId, c.fields, seal.sealValue(c.changes, boundTo(c.correctionId, "changes")), c.reason, c.requestedBy, c.requestedAt.toISOString()],
        });
        return recordOf(rows[0]!);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
          throw new ConflictError("correction.already-pending", `order ${c.orderId} already has a correction waiting for a supervisor; decide that one first`);
        }
        throw error;
      }
    },

    /** The request, locked until the transaction ends, so two supervisors cannot both decide it. */
    async lock(tx: pg.ClientBase, correctionId: string): Promise<CorrectionRecord | undefined> {
      const { rows } = await tx.query<CorrectionRow>({ name: "intake.corrections.lock", text: `SELECT ${columns} FROM order_corrections WHERE correction_id = $1 FOR UPDATE`, values: [correctionId] });
      return rows[0] && recordOf(rows[0]);
    },

    async decide(
      tx: pg.ClientBase,
      correctionId: string,
      decision: { status: "applied" | "rejected"; by: string; text: string; at: Date; previous?: Record<string, unknown> },
    ): Promise<CorrectionRecord> {
      const { rows } = await tx.query<CorrectionRow>({
        name: "intake.corrections.decide",
        text: `UPDATE order_corrections SET status = $2, decided_by = $3, decision_text = $4, decided_at = $5, sealed_previous = $6
               WHERE correction_id = $1 RETURNING ${columns}`,
        values: [
          correctionId,
          decision.status,
          decision.by,
          decision.text,
          decision.at.toISOString(),
          decision.previous ? seal.sealValue(decision.previous, boundTo(correctionId, "previous")) : null,
        ],
      });
      return recordOf(rows[0]!);
    },

    async findById(db: pg.Pool | pg.ClientBase, correctionId: string): Promise<CorrectionRecord | undefined> {
      const { rows } = await db.query<CorrectionRow>({ name: "intake.corrections.by-id", text: `SELECT ${columns} FROM order_corrections WHERE correction_id = $1`, values: [correctionId] });
      return rows[0] && recordOf(rows[0]);
    },

    async listForOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<CorrectionRecord[]> {
      const { rows } = await db.query<CorrectionRow>({
        name: "intake.corrections.of-order",
        text: `SELECT ${columns} FROM order_corrections WHERE order_id = $1 ORDER BY requested_at, correction_id`,
        values: [orderId],
      });
      return rows.map(recordOf);
    },

    /** Requests waiting for a supervisor, oldest first, of one store or of all: `page.size` after `page.after`, each with its position. */
    async listPending(db: pg.Pool, storeId: string | undefined, page: { size: number; after: QueuePosition | undefined }): Promise<Array<CorrectionRecord & { position: QueuePosition }>> {
      const { rows } = await db.query<CorrectionRow & { position_micros: string; position_id: string }>({
        name: "intake.corrections.pending-page",
        text: `SELECT ${columns}, ${queueKeyset.columns("requested_at", "correction_id")} FROM order_corrections
               WHERE status = 'pending' AND ($1::text IS NULL OR store_id = $1) AND ${queueKeyset.after("requested_at", "correction_id", 3)}
               ${queueKeyset.orderBy("requested_at", "correction_id")} LIMIT $2`,
        values: [storeId ?? null, page.size, ...queueKeyset.values(page.after)],
      });
      return rows.map((row) => ({ ...recordOf(row), position: queueKeyset.positionOf(row) }));
    },
  };
}
