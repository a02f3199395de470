import type pg from "pg";
import type { PageAsked, ReplacementPosition } from "../../app/queries/clerk-list-pages.ts";
import type { AllocatedLine, RequestedLine } from "../../domain/allocation.ts";
import type { Replacement, ReplacementStatus } from "../../domain/replacements.ts";
import type { StockKey } from "./stock-locks.ts";

interface ReplacementRow {
  case_id: string;
  order_id: string;
  store_id: string;
  lines: RequestedLine[];
  reserved: AllocatedLine[];
  status: ReplacementStatus;
  since: Date;
  reserved_at: Date | null;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: Date | null;
  shipped_by: string | null;
  called_off_at: Date | null;
  called_off_by: string | null;
  called_off_reason: string | null;
  moved_from_store_id: string | null;
  moved_at: Date | null;
  moved_by: string | null;
  move_reason: string | null;
  predates_steps: boolean;
  picked_at: Date | null;
  picked_by: string | null;
  packed_at: Date | null;
  packed_by: string | null;
  parcels: number | null;
  label: string | null;
}

const columns = `case_id, order_id, store_id, lines, reserved, status, since, reserved_at, carrier, tracking_number, shipped_at, shipped_by,
  called_off_at, called_off_by, called_off_reason, moved_from_store_id, moved_at, moved_by, move_reason,
  predates_steps, picked_at, picked_by, packed_at, packed_by, parcels, label`;

function fromRow(row: ReplacementRow): Replacement {
  return {
    caseId: row.case_id,
    orderId: row.order_id,
    storeId: row.store_id,
    lines: row.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    reserved: row.reserved.map((l) => ({ sku: l.sku, location: l.location, quantity: l.quantity })),
    status: row.status,
    since: row.since,
    ...(row.reserved_at && { reservedAt: row.reserved_at }),
    ...(row.shipped_at && { shipment: { carrier: row.carrier ?? "", trackingNumber: row.tracking_number ?? "", at: row.shipped_at, by: row.shipped_by ?? "" } }),
    ...(row.called_off_at && { calledOff: { at: row.called_off_at, by: row.called_off_by ?? "", reason: row.called_off_reason ?? "" } }),
    ...(row.moved_at && { moved: { fromStoreId: row.moved_from_store_id ?? "", at: row.moved_at, by: row.moved_by ?? "", reason: row.move_reason ?? "" } }),
    ...(row.picked_at && { picked: { at: row.picked_at, by: row.picked_by ?? "" } }),
    ...(row.packed_at && { packed: { at: row.packed_at, by: row.packed_by ?? "", parcels: row.parcels ?? 0, label: row.label ?? "" } }),
    ...(row.predates_steps && { predatesSteps: true }),
  };
}

/** Exchanges' replacements (ADR 030). Writes take the caller's transaction, which holds the stock rows they touch. */
export const replacementRepository = {
  /** The cases among these that have a replacement on record already (an acceptance heard again). */
  async existing(tx: pg.ClientBase, caseIds: readonly string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const { rows } = await tx.query<{ case_id: string }>("SELECT case_id FROM replacements WHERE case_id = ANY($1::text[])", [[...caseIds]]);
    return new Set(rows.map((r) => r.case_id));
  },

  /**
   * Puts new replacements on record, one statement for a consumer's batch, and returns the
   * cases it inserted: a case a twin transaction put on record meanwhile is left to it.
   */
  async insertAll(tx: pg.ClientBase, replacements: readonly Replacement[]): Promise<Set<string>> {
    if (replacements.length === 0) return new Set();
    const { rows } = await tx.query<{ case_id: string }>(
      `INSERT INTO replacements (case_id, order_id, store_id, lines, reserved, status, since, reserved_at)
       SELECT r.case_id, r.order_id, r.store_id, r.lines, r.reserved, r.status, r.since, r.reserved_at
       FROM jsonb_to_recordset($1::jsonb) AS r(case_id text, order_id text, store_id text, lines jsonb, reserved jsonb, status text, since timestamptz, reserved_at timestamptz)
       ON CONFLICT (case_id) DO NOTHING
       RETURNING case_id`,
      [
        JSON.stringify(
          replacements.map((r) => ({
            case_id: r.caseId,
            order_id: r.orderId,
            store_id: r.storeId,
            lines: r.lines,
            reserved: r.reserved,
            status: r.status,
            since: r.since.toISOString(),
            reserved_at: r.reservedAt?.toISOString() ?? null,
          })),
        ),
      ],
    );
    return new Set(rows.map((r) => r.case_id));
  },

  /**
   * The replacement, unlocked: which store and SKUs a step will lock, before it locks them. Its
   * lines never change; its store changes once at most, when the desk moves it while it awaits
   * stock (MoveReplacement), so a step that writes checks the locked row's store against the
   * one whose rows it locked (replacementMovedMeanwhile).
   */
  async find(db: pg.Pool | pg.ClientBase, caseId: string): Promise<Replacement | undefined> {
    const { rows } = await db.query<ReplacementRow>(`SELECT ${columns} FROM replacements WHERE case_id = $1`, [caseId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** The replacement, locked until the transaction ends; taken after its SKUs' stock rows. */
  async lock(tx: pg.ClientBase, caseId: string): Promise<Replacement | undefined> {
    const { rows } = await tx.query<ReplacementRow>(`SELECT ${columns} FROM replacements WHERE case_id = $1 FOR UPDATE`, [caseId]);
    return rows[0] && fromRow(rows[0]);
  },

  /** Writes a locked replacement's new status with what it carries (reservation, steps, shipment, call-off, the store it moved to). */
  async save(tx: pg.ClientBase, after: Replacement): Promise<void> {
    await tx.query(
      `UPDATE replacements SET status = $2, reserved = $3, reserved_at = $4, carrier = $5, tracking_number = $6, shipped_at = $7, shipped_by = $8,
         called_off_at = $9, called_off_by = $10, called_off_reason = $11,
         store_id = $12, moved_from_store_id = $13, moved_at = $14, moved_by = $15, move_reason = $16,
         picked_at = $17, picked_by = $18, packed_at = $19, packed_by = $20, parcels = $21, label = $22
       WHERE case_id = $1`,
      [
        after.caseId,
        after.status,
        JSON.stringify(after.reserved),
        after.reservedAt ?? null,
        after.shipment?.carrier ?? null,
        after.shipment?.trackingNumber ?? null,
        after.shipment?.at ?? null,
        after.shipment?.by ?? null,
        after.calledOff?.at ?? null,
        after.calledOff?.by ?? null,
        after.calledOff?.reason ?? null,
        after.storeId,
        after.moved?.fromStoreId ?? null,
        after.moved?.at ?? null,
        after.moved?.by ?? null,
        after.moved?.reason ?? null,
        after.picked?.at ?? null,
        after.picked?.by ?? null,
        after.packed?.at ?? null,
        after.packed?.by ?? null,
        after.packed?.parcels ?? null,
        after.packed?.label ?? null,
      ],
    );
  },

  /**
   * Read unlocked, before a step that may raise these SKUs' stock locks them: every (store,
   * SKU) of the replacements awaiting stock there that name one of them, so the step takes
   * their stock rows in its one locking statement (their SKUs never change).
   */
  async awaitingStockKeysTouching(db: pg.Pool | pg.ClientBase, keys: readonly StockKey[]): Promise<StockKey[]> {
    if (keys.length === 0) return [];
    const { rows } = await db.query<{ store_id: string; sku: string }>(
      `SELECT DISTINCT r.store_id, l.line->>'sku' AS sku
       FROM replacements r CROSS JOIN jsonb_array_elements(r.lines) AS l(line)
       WHERE r.status = 'awaiting-stock'
         AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS k(store_id, sku)
                     WHERE k.store_id = r.store_id AND r.lines @> jsonb_build_array(jsonb_build_object('sku', k.sku)))`,
      [keys.map((k) => k.storeId), keys.map((k) => k.sku)],
    );
    return rows.map((r) => ({ storeId: r.store_id, sku: r.sku }));
  },

  /**
   * The store's replacements awaiting stock that name one of these SKUs, locked, the oldest
   * acceptance first. Taken after the SKUs' stock rows: whoever else holds such a replacement
   * took those rows first, so this waits for no one holding what it has.
   */
  async lockAwaiting(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<Replacement[]> {
    if (skus.length === 0) return [];
    const { rows } = await tx.query<ReplacementRow>(
      `SELECT ${columns} FROM replacements r
       WHERE store_id = $1 AND status = 'awaiting-stock'
         AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS s(sku) WHERE r.lines @> jsonb_build_array(jsonb_build_object('sku', s.sku)))
       ORDER BY since, case_id
       FOR UPDATE`,
      [storeId, [...new Set(skus)]],
    );
    return rows.map(fromRow);
  },

  /**
   * The store's replacements still to ship (reserved or awaiting stock), the oldest acceptance
   * first (case id breaking a tie): `page.size` of them after `page.after`, each with its
   * position as the page token keeps it.
   */
  async listToShip(db: pg.Pool | pg.ClientBase, storeId: string, page: PageAsked<ReplacementPosition>): Promise<Array<Replacement & { position: ReplacementPosition }>> {
    const params: unknown[] = [storeId];
    const where = ["store_id = $1", "status IN ('reserved', 'awaiting-stock')"];
    if (page.after) {
      const at = params.push(page.after.sinceMicros);
      const id = params.push(page.after.caseId);
      where.push(`(since, case_id COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")`);
    }
    const { rows } = await db.query<ReplacementRow & { since_micros: string }>(
      `SELECT ${columns}, (extract(epoch FROM since) * 1000000)::bigint::text AS since_micros FROM replacements
       WHERE ${where.join(" AND ")} ORDER BY since, case_id COLLATE "C" LIMIT $${params.push(page.size)}`,
      params,
    );
    return rows.map((row) => ({ ...fromRow(row), position: { sinceMicros: row.since_micros, caseId: row.case_id } }));
  },
};
