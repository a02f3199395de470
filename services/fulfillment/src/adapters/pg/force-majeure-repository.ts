import type pg from "pg";
import type { DeclarationPosition } from "../../app/force-majeure/declaration-pages.ts";

/** A declaration as stored (ADR 027). */
export interface ForceMajeureDeclaration {
  eventId: string;
  storeId: string;
  districts: string[];
  kind: string;
  cause: string;
  from: Date;
  expectedUntil?: Date;
  declaredBy: string;
  declaredAt: Date;
  liftedAt?: Date;
  liftedBy?: string;
}

interface Row {
  event_id: string;
  store_id: string;
  districts: string[];
  kind: string;
  cause: string;
  from_at: Date;
  expected_until: Date | null;
  declared_by: string;
  declared_at: Date;
  lifted_at: Date | null;
  lifted_by: string | null;
}

const fromRow = (r: Row): ForceMajeureDeclaration => ({
  eventId: r.event_id,
  storeId: r.store_id,
  districts: r.districts,
  kind: r.kind,
  cause: r.cause,
  from: r.from_at,
  ...(r.expected_until ? { expectedUntil: r.expected_until } : {}),
  declaredBy: r.declared_by,
  declaredAt: r.declared_at,
  ...(r.lifted_at ? { liftedAt: r.lifted_at } : {}),
  ...(r.lifted_by ? { liftedBy: r.lifted_by } : {}),
});

/**
 * A store's declarations are taken under an advisory lock of the store: a declaration
 * exclusively, a batch creating orders there shared, so an order arriving while one is being
 * declared is either seen by its scan or sees it (ADR 027).
 */
const storeLockKey = (storeId: string) => `force-majeure:${storeId}`;

export const forceMajeureRepository = {
  async lockStoreExclusively(tx: pg.ClientBase, storeId: string): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [storeLockKey(storeId)]);
  },

  async lockStoresShared(tx: pg.ClientBase, storeIds: readonly string[]): Promise<void> {
    if (storeIds.length === 0) return;
    // In one order, so two batches never wait for each other in a circle.
    await tx.query("SELECT pg_advisory_xact_lock_shared(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k", [[...new Set(storeIds)].sort().map(storeLockKey)]);
  },

  /** Inserts the declaration unless its id exists; answers the stored one and whether it is new. Locks its row. */
  async insertOrFind(tx: pg.ClientBase, d: Omit<ForceMajeureDeclaration, "declaredAt">): Promise<{ declaration: ForceMajeureDeclaration; created: boolean }> {
    const inserted = await tx.query<Row>(
      `INSERT INTO force_majeure_events (event_id, store_id, districts, kind, cause, from_at, expected_until, declared_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING RETURNING *`,
      [d.eventId, d.storeId, d.districts, d.kind, d.cause, d.from, d.expectedUntil ?? null, d.declaredBy],
    );
    if (inserted.rows[0]) return { declaration: fromRow(inserted.rows[0]), created: true };
    const found = await this.lock(tx, d.eventId);
    if (!found) throw new Error(`force majeure ${d.eventId} conflicted on insert and then was not found`);
    return { declaration: found, created: false };
  },

  async storeOf(db: pg.ClientBase, eventId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ store_id: string }>("SELECT store_id FROM force_majeure_events WHERE event_id = $1", [eventId]);
    return rows[0]?.store_id;
  },

  async find(db: pg.Pool | pg.ClientBase, eventId: string): Promise<ForceMajeureDeclaration | undefined> {
    const { rows } = await db.query<Row>("SELECT * FROM force_majeure_events WHERE event_id = $1", [eventId]);
    return rows[0] && fromRow(rows[0]);
  },

  async lock(tx: pg.ClientBase, eventId: string): Promise<ForceMajeureDeclaration | undefined> {
    const { rows } = await tx.query<Row>("SELECT * FROM force_majeure_events WHERE event_id = $1 FOR UPDATE", [eventId]);
    return rows[0] && fromRow(rows[0]);
  },

  async markLifted(tx: pg.ClientBase, eventId: string, liftedBy: string): Promise<void> {
    await tx.query("UPDATE force_majeure_events SET lifted_at = now(), lifted_by = $2 WHERE event_id = $1 AND lifted_at IS NULL", [eventId, liftedBy]);
  },

  /** The declarations not lifted over these stores, oldest first. */
  async declaredAt(db: pg.ClientBase | pg.Pool, storeIds: readonly string[]): Promise<ForceMajeureDeclaration[]> {
    if (storeIds.length === 0) return [];
    const { rows } = await db.query<Row>("SELECT * FROM force_majeure_events WHERE store_id = ANY($1::text[]) AND lifted_at IS NULL ORDER BY declared_at, event_id", [[...new Set(storeIds)]]);
    return rows.map(fromRow);
  },

  /**
   * A store's declarations, newest first (the event id breaking a tie), those still declared or
   * all: `page.size` of them after `page.after`, each with its position as the page token keeps it.
   */
  async listOfStore(
    db: pg.Pool,
    storeId: string,
    includeLifted: boolean,
    page: { size: number; after: DeclarationPosition | undefined },
  ): Promise<Array<ForceMajeureDeclaration & { position: DeclarationPosition }>> {
    const params: unknown[] = [storeId, includeLifted];
    let after = "";
    if (page.after) {
      const at = params.push(page.after.declaredAtMicros);
      const id = params.push(page.after.eventId);
      after = `AND (declared_at, event_id COLLATE "C") < (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")`;
    }
    const limit = params.push(page.size);
    const { rows } = await db.query<Row & { declared_at_micros: string }>(
      `SELECT *, (extract(epoch FROM declared_at) * 1000000)::bigint::text AS declared_at_micros FROM force_majeure_events
       WHERE store_id = $1 AND ($2 OR lifted_at IS NULL) ${after}
       ORDER BY declared_at DESC, event_id COLLATE "C" DESC LIMIT $${limit}`,
      params,
    );
    return rows.map((row) => ({ ...fromRow(row), position: { declaredAtMicros: row.declared_at_micros, eventId: row.event_id } }));
  },

  /** Orders this declaration may hold: the store's (in the districts), in a holdable status (the domain decides each). */
  async candidateOrderIds(tx: pg.ClientBase, d: ForceMajeureDeclaration, statuses: readonly string[]): Promise<string[]> {
    const { rows } = await tx.query<{ order_id: string }>(
      `SELECT order_id FROM orders WHERE store_id = $1 AND status = ANY($2::text[])
         AND (cardinality($3::text[]) = 0 OR body->>'region' = ANY($3::text[])) ORDER BY order_id`,
      [d.storeId, [...statuses], d.districts],
    );
    return rows.map((r) => r.order_id);
  },

  /** Orders the declaration holds still. */
  async heldOrderIds(tx: pg.ClientBase, eventId: string): Promise<string[]> {
    const { rows } = await tx.query<{ order_id: string }>(
      `SELECT order_id FROM orders WHERE body ? 'forceMajeure' AND body->'forceMajeure'->>'eventId' = $1 AND status = 'on-hold' AND hold_reason = 'force-majeure' ORDER BY order_id`,
      [eventId],
    );
    return rows.map((r) => r.order_id);
  },

  /** How many orders each declaration held (ever), and holds still. */
  async counts(db: pg.ClientBase | pg.Pool, eventIds: readonly string[]): Promise<Map<string, { held: number; stillHeld: number }>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await db.query<{ event_id: string; held: number; still: number }>(
      `SELECT body->'forceMajeure'->>'eventId' AS event_id, count(*)::int AS held,
              count(*) FILTER (WHERE status = 'on-hold' AND hold_reason = 'force-majeure')::int AS still
       FROM orders WHERE body ? 'forceMajeure' AND body->'forceMajeure'->>'eventId' = ANY($1::text[]) GROUP BY 1`,
      [[...eventIds]],
    );
    return new Map(rows.map((r) => [r.event_id, { held: r.held, stillHeld: r.still }]));
  },
};
