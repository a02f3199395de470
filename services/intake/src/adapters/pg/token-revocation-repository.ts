import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { withTransaction } from "@oms/postgres";

/** A row of token_revocations: the subject's tokens issued up to `notBefore` are withdrawn. */
export interface TokenRevocationRecord {
  /** The log's position: taken and committed in one order (migration 012). */
  revocationId: string;
  subject: string;
  notBefore: Date;
  revokedBy: Actor;
  reason: string;
  correlationId: string;
  recordedAt: Date;
}

/** The least a replica needs to hold a subject's tokens to a revocation. */
export interface RevocationEntry {
  revocationId: string;
  subject: string;
  notBeforeMs: number;
}

// int8 arrives as a number (@oms/postgres's pool); ids leave as text, as the API and the reading position carry them.
interface RevocationRow {
  revocation_id: number;
  subject: string;
  not_before: Date;
  revoked_by_kind: Actor["kind"];
  revoked_by_id: string;
  revoked_by_role: string;
  reason: string;
  correlation_id: string;
  recorded_at: Date;
}

const columns = "revocation_id, subject, not_before, revoked_by_kind, revoked_by_id, revoked_by_role, reason, correlation_id, recorded_at";

const recordOf = (r: RevocationRow): TokenRevocationRecord => ({
  revocationId: String(r.revocation_id),
  subject: r.subject,
  notBefore: r.not_before,
  revokedBy: { kind: r.revoked_by_kind, id: r.revoked_by_id, role: r.revoked_by_role },
  reason: r.reason,
  correlationId: r.correlation_id,
  recordedAt: r.recorded_at,
});

export const tokenRevocationRepository = {
  /**
   * Appends a revocation, its moment the database's now. Writers take one advisory lock
   * before the insert, so revocation ids are taken in the order they commit and a replica
   * reading "after the last id it saw" misses none (migration 012). Revocations are rare:
   * their writers waiting for each other costs nothing.
   */
  async append(pool: pg.Pool, input: { subject: string; reason: string; revokedBy: Actor; correlationId: string }): Promise<TokenRevocationRecord> {
    return withTransaction(pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('intake.token-revocations', 0))");
      const { rows } = await tx.query<RevocationRow>(
        // The moment is read once the lock is held: a revocation waiting for another's is not dated before it.
        `INSERT INTO token_revocations (subject, not_before, revoked_by_kind, revoked_by_id, revoked_by_role, reason, correlation_id, recorded_at)
         SELECT $1, moment.at, $2, $3, $4, $5, $6, moment.at FROM (SELECT clock_timestamp() AS at) AS moment
         RETURNING ${columns}`,
        [input.subject, input.revokedBy.kind, input.revokedBy.id, input.revokedBy.role, input.reason, input.correlationId],
      );
      return recordOf(rows[0]!);
    });
  },

  /**
   * The revocations after `afterId` in the log's order, at most `limit`, leaving out those
   * dated before `notBeforeFrom` (past the horizon: they cut off no token still accepted):
   * how a replica catches up. Those left out are skipped, not paged through (migration 018's
   * index), so a starting intake reads the horizon's revocations, not the whole log.
   */
  async after(db: pg.Pool, afterId: string, limit: number, notBeforeFrom: Date): Promise<RevocationEntry[]> {
    const { rows } = await db.query<{ revocation_id: number; subject: string; not_before_ms: number }>(
      `SELECT revocation_id, subject, floor(extract(epoch FROM not_before) * 1000)::bigint AS not_before_ms
         FROM token_revocations WHERE revocation_id > $1 AND not_before >= $3 ORDER BY revocation_id LIMIT $2`,
      [afterId, limit, notBeforeFrom],
    );
    // Milliseconds cut down, as node-postgres cuts a timestamp it reads into a Date: the writer's replica and the others hold the same moment.
    return rows.map((r) => ({ revocationId: String(r.revocation_id), subject: r.subject, notBeforeMs: r.not_before_ms }));
  },

  /** The log newest first, of one subject or all, at most `limit`, before the revocation `beforeId` when paging on. */
  async list(db: pg.Pool, query: { subject?: string | undefined; beforeId?: string | undefined; limit: number }): Promise<TokenRevocationRecord[]> {
    const { rows } = await db.query<RevocationRow>(
      `SELECT ${columns} FROM token_revocations
        WHERE ($1::text IS NULL OR subject = $1) AND ($2::bigint IS NULL OR revocation_id < $2)
        ORDER BY revocation_id DESC LIMIT $3`,
      [query.subject ?? null, query.beforeId ?? null, query.limit],
    );
    return rows.map(recordOf);
  },
};
