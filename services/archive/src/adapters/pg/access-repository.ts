import type pg from "pg";
import type { AccessRequest, AccessStatus } from "../../domain/access.ts";

interface RequestRow {
  request_id: string;
  order_id: string;
  requested_by: string;
  requester_role: string;
  reason: string;
  requested_at: Date;
  status: AccessStatus;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  valid_until: Date | null;
}

export interface Viewing {
  viewingId: string;
  requestId: string;
  orderId: string;
  viewer: string;
  viewedAt: Date;
  records: number;
}

const requestColumns = "request_id, order_id, requested_by, requester_role, reason, requested_at, status, decided_by, decided_at, note, valid_until";

function requestFromRow(row: RequestRow): AccessRequest {
  return {
    requestId: row.request_id,
    orderId: row.order_id,
    requestedBy: row.requested_by,
    requesterRole: row.requester_role,
    reason: row.reason,
    requestedAt: row.requested_at,
    status: row.status,
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
    ...(row.note ? { note: row.note } : {}),
    ...(row.valid_until ? { validUntil: row.valid_until } : {}),
  };
}

/** Access requests and the viewings they allowed, in archive's schema. Writes take the caller's transaction. */
export const accessRepository = {
  /** Stores a new request; false when its id is taken (the caller reads what is stored). */
  async insertIfNew(tx: pg.ClientBase, request: AccessRequest): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO access_requests (request_id, order_id, requested_by, requester_role, reason, requested_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
      [request.requestId, request.orderId, request.requestedBy, request.requesterRole, request.reason, request.requestedAt, request.status],
    );
    return rowCount === 1;
  },

  /** The request, locked until the caller's transaction ends (two deciders are taken one after the other). */
  async lockById(tx: pg.ClientBase, requestId: string): Promise<AccessRequest | undefined> {
    const { rows } = await tx.query<RequestRow>(`SELECT ${requestColumns} FROM access_requests WHERE request_id = $1 FOR UPDATE`, [requestId]);
    return rows[0] && requestFromRow(rows[0]);
  },

  async findById(db: pg.Pool | pg.ClientBase, requestId: string): Promise<AccessRequest | undefined> {
    const { rows } = await db.query<RequestRow>(`SELECT ${requestColumns} FROM access_requests WHERE request_id = $1`, [requestId]);
    return rows[0] && requestFromRow(rows[0]);
  },

  /** Writes the decision on a request still pending; throws if it was not (a caller that did not lock it). */
  async saveDecision(tx: pg.ClientBase, request: AccessRequest): Promise<void> {
    const { rowCount } = await tx.query("UPDATE access_requests SET status = $2, decided_by = $3, decided_at = $4, note = $5, valid_until = $6 WHERE request_id = $1 AND status = 'pending'", [
      request.requestId,
      request.status,
      request.decidedBy ?? null,
      request.decidedAt ?? null,
      request.note ?? null,
      request.validUntil ?? null,
    ]);
    if (rowCount !== 1) throw new Error(`access request ${request.requestId} was no longer pending when its decision was written`);
  },

  async listForOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<AccessRequest[]> {
    const { rows } = await db.query<RequestRow>(`SELECT ${requestColumns} FROM access_requests WHERE order_id = $1 ORDER BY requested_at, request_id`, [orderId]);
    return rows.map(requestFromRow);
  },

  /** Logs a viewing in the caller's transaction, the one that read what was viewed; returns it as logged. */
  async logViewing(tx: pg.ClientBase, viewing: Omit<Viewing, "viewedAt">): Promise<Viewing> {
    const { rows } = await tx.query<{ viewed_at: Date }>(
      "INSERT INTO dossier_viewings (viewing_id, request_id, order_id, viewer, records) VALUES ($1, $2, $3, $4, $5) RETURNING viewed_at",
      [viewing.viewingId, viewing.requestId, viewing.orderId, viewing.viewer, viewing.records],
    );
    return { ...viewing, viewedAt: rows[0]!.viewed_at };
  },

  async viewingsOfOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<Viewing[]> {
    const { rows } = await db.query<{ viewing_id: string; request_id: string; order_id: string; viewer: string; viewed_at: Date; records: number }>(
      "SELECT viewing_id, request_id, order_id, viewer, viewed_at, records FROM dossier_viewings WHERE order_id = $1 ORDER BY viewed_at, viewing_id",
      [orderId],
    );
    return rows.map((r) => ({ viewingId: r.viewing_id, requestId: r.request_id, orderId: r.order_id, viewer: r.viewer, viewedAt: r.viewed_at, records: r.records }));
  },
};
