import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ConflictError } from "@oms/errors";
import type { AllocatedLine } from "../../domain/allocation.ts";
import type { StockAtLocation } from "../../domain/stock.ts";
import { lockStockOf, lockStockOfReservations, lockStockRows, lockStockRowsAtOnce, readStockOf, type StockKey } from "./stock-locks.ts";

/** Who moved stock and why; written on every ledger row. */
export interface MovementContext {
  orderId: string;
  reservationId: string;
  reason: string;
  actor: Actor;
}

/** Units of one reservation taken off a store's free stock. */
export interface StockBooking {
  storeId: string;
  lines: readonly AllocatedLine[];
  context: MovementContext;
}

export interface OpeningStock {
  storeId: string;
  sku: string;
  location: string;
  onHand: number;
  safetyStock: number;
}

export interface StockLevelRow extends StockAtLocation {
  storeId: string;
}

interface StockRow {
  store_id: string;
  sku: string;
  location: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  expected_restock_date: string | null;
}

// The date as text: pg would turn a date into a local-midnight Date and shift it by the zone.
const columns = "store_id, sku, location, on_hand, reserved, safety_stock, expected_restock_date::text AS expected_restock_date";

function fromRow(row: StockRow): StockLevelRow {
  return {
    storeId: row.store_id,
    sku: row.sku,
    location: row.location,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    expectedRestockDate: row.expected_restock_date ?? "",
  };
}

export const movementColumns = "store_id, sku, location, kind, quantity, order_id, reservation_id, reason, actor_kind, actor_id, actor_role";

/**
 * Stock and its ledger in warehouse's schema. Every function that changes stock writes
 * the matching movements in the same statement, so the books cannot drift from the ledger.
 */
export const stockRepository = {
  /** Locks every location of the store's SKUs for the rest of the transaction, deadlock-free (see stock-locks.ts). */
  async lockForSkus(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<StockAtLocation[]> {
    return (await lockStockRows(tx, storeId, skus)).map(fromRow);
  },

  /** The store's SKUs' rows, which the caller locked already, taken again without waiting: see lockStockRowsAtOnce. */
  async lockForSkusAtOnce(tx: pg.ClientBase, storeId: string, skus: readonly string[]): Promise<StockAtLocation[]> {
    return (await lockStockRowsAtOnce(tx, storeId, skus)).map(fromRow);
  },

  /** Per SKU, the soonest expected restock date on record in these stores (ISO date), for a queued order. */
  async soonestRestockDates(db: pg.ClientBase, storeIds: readonly string[], skus: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await db.query<{ sku: string; date: string }>(
      `SELECT sku, min(expected_restock_date)::text AS date FROM stock
       WHERE store_id = ANY($1::text[]) AND sku = ANY($2::text[]) AND expected_restock_date IS NOT NULL GROUP BY sku`,
      [[...storeIds], [...skus]],
    );
    return new Map(rows.map((r) => [r.sku, r.date]));
  },

  /** Locks every location of each (store, SKU) at once, in key order: what a batch will touch, before it touches any. Returns the rows. */
  async lockAll(tx: pg.ClientBase, keys: readonly StockKey[]): Promise<StockLevelRow[]> {
    return (await lockStockOf(tx, keys)).map(fromRow);
  },

  /** Locks the stock rows the reservations' lines come from, in key order: see lockStockOfReservations. */
  async lockForReservations(tx: pg.ClientBase, reservationIds: readonly string[]): Promise<void> {
    await lockStockOfReservations(tx, reservationIds);
  },

  /** Every location of each (store, SKU), unlocked: see readStockOf. */
  async readAll(tx: pg.ClientBase, keys: readonly StockKey[]): Promise<StockLevelRow[]> {
    return (await readStockOf(tx, keys)).map(fromRow);
  },

  /**
   * Books reservations: adds their lines to `reserved`, each row only while what it gives
   * still leaves the safety stock untouched, and records a 'reserved' movement per line —
   * all of a batch's reservations in one statement. Lines of several reservations on one
   * row are summed, as the guard must hold for their total. The caller holds the locks;
   * a line the guard refuses means the stock moved under us, and the whole transaction
   * is rolled back so nothing is half-reserved.
   */
  async reserve(tx: pg.ClientBase, bookings: readonly StockBooking[]): Promise<void> {
    const moves = bookings.flatMap(({ storeId, lines, context }) => lines.map((line) => ({ storeId, line, context })));
    if (moves.length === 0) return;
    const column = <T>(of: (move: (typeof moves)[number]) => T) => moves.map(of);
    const { rowCount } = await tx.query(
      `WITH moves AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           WITH ORDINALITY AS m(store_id, sku, location, quantity, order_id, reservation_id, reason, actor_kind, actor_id, actor_role, n)
       ), wanted AS (
         SELECT store_id, sku, location, sum(quantity)::int AS quantity FROM moves GROUP BY store_id, sku, location
       ), updated AS (
         UPDATE stock s SET reserved = s.reserved + w.quantity, updated_at = now()
         FROM wanted w
         WHERE s.store_id = w.store_id AND s.sku = w.sku AND s.location = w.location
           AND s.on_hand - s.reserved - s.safety_stock >= w.quantity
         RETURNING s.store_id, s.sku, s.location
       )
       INSERT INTO stock_movements (${movementColumns})
       SELECT m.store_id, m.sku, m.location, 'reserved', m.quantity, m.order_id, m.reservation_id, m.reason, m.actor_kind, m.actor_id, m.actor_role
       FROM moves m JOIN updated u USING (store_id, sku, location) ORDER BY m.n`,
      [
        column((m) => m.storeId),
        column((m) => m.line.sku),
        column((m) => m.line.location),
        column((m) => m.line.quantity),
        column((m) => m.context.orderId),
        column((m) => m.context.reservationId),
        column((m) => m.context.reason),
        column((m) => m.context.actor.kind),
        column((m) => m.context.actor.id),
        column((m) => m.context.actor.role),
      ],
    );
    if (rowCount !== moves.length) {
      const ids = [...new Set(bookings.map((b) => b.context.reservationId))].join(", ");
      throw new ConflictError("stock.moved-while-reserving", `only ${rowCount} of ${moves.length} lines of reservations ${ids} could be reserved`);
    }
  },

  /** Takes the lines off `reserved` and records a 'released' movement per line; the caller holds the locks. */
  async release(tx: pg.ClientBase, storeId: string, lines: readonly AllocatedLine[], context: MovementContext): Promise<void> {
    if (lines.length === 0) return;
    const { rowCount } = await tx.query(
      `WITH returned AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::int[]) AS r(sku, location, quantity)
       ), updated AS (
         UPDATE stock s SET reserved = s.reserved - r.quantity, updated_at = now()
         FROM returned r
         WHERE s.store_id = $1 AND s.sku = r.sku AND s.location = r.location AND s.reserved >= r.quantity
         RETURNING s.sku, s.location, r.quantity
       )
       INSERT INTO stock_movements (${movementColumns})
       SELECT $1, sku, location, 'released', quantity, $5, $6, $7, $8, $9, $10 FROM updated`,
      [storeId, ...lineArrays(lines), ...contextValues(context)],
    );
    if (rowCount !== lines.length) {
      throw new ConflictError("stock.moved-while-releasing", `only ${rowCount} of ${lines.length} lines of reservation ${context.reservationId} could be released`);
    }
  },

  /**
   * The reservation's units leave the store: off `on_hand` and off `reserved` alike, with a
   * 'shipped' movement per line, in one statement. The caller holds the locks of lockForSkus.
   */
  async ship(tx: pg.ClientBase, storeId: string, lines: readonly AllocatedLine[], context: MovementContext): Promise<void> {
    const { rowCount } = await tx.query(
      `WITH leaving AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::int[]) AS l(sku, location, quantity)
       ), updated AS (
         UPDATE stock s SET on_hand = s.on_hand - l.quantity, reserved = s.reserved - l.quantity, updated_at = now()
         FROM leaving l
         WHERE s.store_id = $1 AND s.sku = l.sku AND s.location = l.location AND s.reserved >= l.quantity
         RETURNING s.sku, s.location, l.quantity
       )
       INSERT INTO stock_movements (${movementColumns})
       SELECT $1, sku, location, 'shipped', quantity, $5, $6, $7, $8, $9, $10 FROM updated`,
      [storeId, ...lineArrays(lines), ...contextValues(context)],
    );
    if (rowCount !== lines.length) {
      throw new ConflictError("stock.moved-while-shipping", `only ${rowCount} of ${lines.length} lines of reservation ${context.reservationId} could be shipped`);
    }
  },

  /**
   * Books stock that is not on record yet, with a 'received' movement for what it holds.
   * Rows already on record are left alone: they may have moved since. Returns how many
   * rows were new.
   */
  async insertMissing(tx: pg.ClientBase, rows: readonly OpeningStock[], reason: string, actor: Actor): Promise<number> {
    if (rows.length === 0) return 0;
    const { rows: inserted } = await tx.query<{ count: number }>(
      `WITH incoming AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) AS i(store_id, sku, location, on_hand, safety_stock)
       ), inserted AS (
         INSERT INTO stock (store_id, sku, location, on_hand, safety_stock)
         SELECT store_id, sku, location, on_hand, safety_stock FROM incoming
         ON CONFLICT (store_id, sku, location) DO NOTHING
         RETURNING store_id, sku, location, on_hand
       ), received AS (
         INSERT INTO stock_movements (${movementColumns})
         SELECT store_id, sku, location, 'received', on_hand, NULL, NULL, $6, $7, $8, $9 FROM inserted WHERE on_hand > 0
       )
       SELECT count(*)::int AS count FROM inserted`,
      [
        rows.map((r) => r.storeId),
        rows.map((r) => r.sku),
        rows.map((r) => r.location),
        rows.map((r) => r.onHand),
        rows.map((r) => r.safetyStock),
        reason,
        actor.kind,
        actor.id,
        actor.role,
      ],
    );
    return inserted[0]?.count ?? 0;
  },

  /** Every store's locations of one SKU, unlocked, in key order: which stores have it. */
  async levelsOfSku(db: pg.Pool | pg.ClientBase, sku: string): Promise<StockLevelRow[]> {
    const { rows } = await db.query<StockRow>(`SELECT ${columns} FROM stock WHERE sku = $1 ORDER BY store_id, location`, [sku]);
    return rows.map(fromRow);
  },

  /** The store's stock, every SKU when `skus` is empty, in (sku, location) order. */
  async levels(db: pg.Pool | pg.ClientBase, storeId: string, skus: readonly string[]): Promise<StockLevelRow[]> {
    const { rows } = await db.query<StockRow>(
      `SELECT ${columns} FROM stock WHERE store_id = $1 AND (cardinality($2::text[]) = 0 OR sku = ANY($2::text[]))
       ORDER BY sku, location`,
      [storeId, [...skus]],
    );
    return rows.map(fromRow);
  },

  /** One row as it is now; a location that has never held the SKU reads as empty. */
  async levelAt(db: pg.Pool | pg.ClientBase, storeId: string, sku: string, location: string): Promise<StockLevelRow> {
    const { rows } = await db.query<StockRow>(`SELECT ${columns} FROM stock WHERE store_id = $1 AND sku = $2 AND location = $3`, [storeId, sku, location]);
    return rows[0] ? fromRow(rows[0]) : { storeId, sku, location, onHand: 0, reserved: 0, safetyStock: 0, expectedRestockDate: "" };
  },
};

function lineArrays(lines: readonly AllocatedLine[]): [string[], string[], number[]] {
  return [lines.map((l) => l.sku), lines.map((l) => l.location), lines.map((l) => l.quantity)];
}

function contextValues(context: MovementContext): string[] {
  return [context.orderId, context.reservationId, context.reason, context.actor.kind, context.actor.id, context.actor.role];
}
