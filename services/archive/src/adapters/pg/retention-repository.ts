import type pg from "pg";
import type { DisposalPosition, DossierPosition } from "../../app/retention/retention-pages.ts";
import type { DisposalRecord, HoldRecord, RetainedDossier } from "../../domain/retention.ts";

interface DossierRow {
  order_id: string;
  store_id: string;
  first_event_at: Date;
  last_event_at: Date;
  entry_count: number;
  ended_at: Date | null;
  held: boolean;
}

interface HoldRow {
  order_id: string;
  action: HoldRecord["action"];
  matter: string;
  actor: string;
  actor_role: string;
  reason: string;
  at: Date;
  correlation_id: string;
}

interface DisposalRow {
  disposal_id: string;
  order_id: string;
  store_id: string;
  first_event_at: Date;
  last_event_at: Date;
  ended_at: Date;
  retain_until: Date;
  entry_count: number;
  digest: string;
  decided_by: string;
  decider_role: string;
  reason: string;
  disposed_at: Date;
  correlation_id: string;
}

const dossierColumns = "order_id, store_id, first_event_at, last_event_at, entry_count, ended_at, held";
const disposalColumns =
  "disposal_id, order_id, store_id, first_event_at, last_event_at, ended_at, retain_until, entry_count, digest, decided_by, decider_role, reason, disposed_at, correlation_id";

const dossierOf = (row: DossierRow): RetainedDossier => ({
  orderId: row.order_id,
  storeId: row.store_id,
  firstEventAt: row.first_event_at,
  lastEventAt: row.last_event_at,
  entryCount: row.entry_count,
  ...(row.ended_at ? { endedAt: row.ended_at } : {}),
  held: row.held,
});

const holdOf = (row: HoldRow): HoldRecord => ({
  orderId: row.order_id,
  action: row.action,
  matter: row.matter,
  actor: row.actor,
  actorRole: row.actor_role,
  reason: row.reason,
  at: row.at,
  correlationId: row.correlation_id,
});

const disposalOfRow = (row: DisposalRow): DisposalRecord => ({
  disposalId: row.disposal_id,
  orderId: row.order_id,
  storeId: row.store_id,
  firstEventAt: row.first_event_at,
  lastEventAt: row.last_event_at,
  endedAt: row.ended_at,
  retainUntil: row.retain_until,
  entryCount: row.entry_count,
  digest: row.digest,
  decidedBy: row.decided_by,
  deciderRole: row.decider_role,
  reason: row.reason,
  disposedAt: row.disposed_at,
  correlationId: row.correlation_id,
});

/** Retention's reads and writes in archive's schema. Writes take the caller's transaction. */
export const retentionRepository = {
  /** The dossier, locked until the caller's transaction ends: holds, releases, disposals and filings of it are taken one after another. */
  async lock(tx: pg.ClientBase, orderId: string): Promise<RetainedDossier | undefined> {
    const { rows } = await tx.query<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows[0] && dossierOf(rows[0]);
  },

  /**
   * A page of a store's ended dossiers, those whose retention started first first, the order
   * id breaking a tie: `page.size` of them after `page.after`, each with its position as the
   * page token keeps it. With `startedBy`, only those not held whose retention started by then
   * (the caller's cut-off: now less the retention years), which the caller checks again with
   * the domain's rule. The start is greatest(ended_at, last_event_at), which is last_event_at:
   * the end is one of the entries it is the latest of. Written so, the scan walks
   * dossiers_store_ended in order.
   */
  async listEnded(
    db: pg.Pool,
    storeId: string,
    options: { startedBy?: Date; page: { size: number; after: DossierPosition | undefined } },
  ): Promise<Array<RetainedDossier & { position: DossierPosition }>> {
    const params: unknown[] = [storeId];
    const where = ["store_id = $1", "ended_at IS NOT NULL"];
    if (options.startedBy) where.push(`NOT held AND last_event_at <= $${params.push(options.startedBy)}`);
    const { after } = options.page;
    if (after) {
      const at = params.push(after.lastEventAtMicros);
      const id = params.push(after.orderId);
      // Micros, not a Date: a Date keeps milliseconds and would repeat or skip rows within one.
      where.push(`(last_event_at, order_id COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")`);
    }
    const limit = params.push(options.page.size);
    const { rows } = await db.query<DossierRow & { last_event_at_micros: string }>(
      `SELECT ${dossierColumns}, (extract(epoch FROM last_event_at) * 1000000)::bigint::text AS last_event_at_micros FROM dossiers
       WHERE ${where.join(" AND ")}
       ORDER BY last_event_at, order_id COLLATE "C" LIMIT $${limit}`,
      params,
    );
    return rows.map((row) => ({ ...dossierOf(row), position: { lastEventAtMicros: row.last_event_at_micros, orderId: row.order_id } }));
  },

  /**
   * Records a hold or release and sets the dossier's flag to whether any matter still holds it,
   * in the caller's transaction (which holds the row's lock).
   */
  async recordHold(tx: pg.ClientBase, record: HoldRecord, stillHeld: boolean): Promise<void> {
    await tx.query("INSERT INTO dossier_holds (order_id, action, matter, actor, actor_role, reason, at, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
      record.orderId,
      record.action,
      record.matter,
      record.actor,
      record.actorRole,
      record.reason,
      record.at,
      record.correlationId,
    ]);
    await tx.query("UPDATE dossiers SET held = $2, updated_at = now() WHERE order_id = $1", [record.orderId, stillHeld]);
  },

  /** Every hold and release of these orders, oldest first. */
  async holdsOf(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, HoldRecord[]>> {
    const byOrder = new Map<string, HoldRecord[]>();
    if (orderIds.length === 0) return byOrder;
    const { rows } = await db.query<HoldRow>(
      "SELECT order_id, action, matter, actor, actor_role, reason, at, correlation_id FROM dossier_holds WHERE order_id = ANY($1::text[]) ORDER BY order_id, hold_seq",
      [orderIds],
    );
    for (const row of rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), holdOf(row)]);
    return byOrder;
  },

  /**
   * Disposes of a dossier in the caller's transaction, which holds its row lock: the record
   * first, then the sanctioned delete of exactly the entries the digest read (the entries'
   * trigger lets a DELETE through only with the transaction's setting on and this order's
   * record written in it), then the dossier's row. Throws if the delete did not take them all.
   */
  async dispose(tx: pg.ClientBase, record: DisposalRecord, filingSequences: readonly number[]): Promise<void> {
    await tx.query(
      `INSERT INTO dossier_disposals (${disposalColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        record.disposalId,
        record.orderId,
        record.storeId,
        record.firstEventAt,
        record.lastEventAt,
        record.endedAt,
        record.retainUntil,
        record.entryCount,
        record.digest,
        record.decidedBy,
        record.deciderRole,
        record.reason,
        record.disposedAt,
        record.correlationId,
      ],
    );
    // Transaction-local: it ends with this transaction, whatever happens next.
    await tx.query("SELECT set_config('oms.dossier_disposal', 'on', true)");
    const { rowCount } = await tx.query("DELETE FROM dossier_entries WHERE order_id = $1 AND filing_seq = ANY($2::bigint[])", [record.orderId, filingSequences]);
    if (rowCount !== filingSequences.length) throw new Error(`disposing of order ${record.orderId}'s dossier deleted ${rowCount} of ${filingSequences.length} entries`);
    await tx.query("SELECT set_config('oms.dossier_disposal', 'off', true)");
    await tx.query("DELETE FROM dossiers WHERE order_id = $1", [record.orderId]);
  },

  /** The order's latest disposal record, if its dossier was ever disposed of. */
  async latestDisposalOf(db: pg.Pool | pg.ClientBase, orderId: string): Promise<DisposalRecord | undefined> {
    const { rows } = await db.query<DisposalRow>(`SELECT ${disposalColumns} FROM dossier_disposals WHERE order_id = $1 ORDER BY disposed_at DESC, disposal_id DESC LIMIT 1`, [
      orderId,
    ]);
    return rows[0] && disposalOfRow(rows[0]);
  },

  /**
   * A page of a store's disposal records, newest first, the disposal id (ascending) breaking a
   * tie: `page.size` of them after `page.after`, each with its position as the token keeps it.
   * The two directions differ, so the keyset is spelled out rather than a row comparison; its
   * first bound alone is what dossier_disposals_store (store_id, disposed_at DESC) can seek to.
   */
  async disposalsOfStore(
    db: pg.Pool,
    storeId: string,
    page: { size: number; after: DisposalPosition | undefined },
  ): Promise<Array<DisposalRecord & { position: DisposalPosition }>> {
    const params: unknown[] = [storeId];
    let after = "";
    if (page.after) {
      const at = `timestamptz 'epoch' + $${params.push(page.after.disposedAtMicros)}::bigint * interval '1 microsecond'`;
      const id = params.push(page.after.disposalId);
      after = `AND disposed_at <= ${at} AND (disposed_at < ${at} OR disposal_id COLLATE "C" > $${id}::text COLLATE "C")`;
    }
    const limit = params.push(page.size);
    const { rows } = await db.query<DisposalRow & { disposed_at_micros: string }>(
      `SELECT ${disposalColumns}, (extract(epoch FROM disposed_at) * 1000000)::bigint::text AS disposed_at_micros FROM dossier_disposals
       WHERE store_id = $1 ${after}
       ORDER BY disposed_at DESC, disposal_id COLLATE "C" LIMIT $${limit}`,
      params,
    );
    return rows.map((row) => ({ ...disposalOfRow(row), position: { disposedAtMicros: row.disposed_at_micros, disposalId: row.disposal_id } }));
  },
};
