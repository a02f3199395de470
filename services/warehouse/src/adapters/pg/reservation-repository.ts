import type pg from "pg";
import type { PageAsked, PickListPosition } from "../../app/queries/clerk-list-pages.ts";
import type { Actor } from "@oms/contracts";
import type { Reservation } from "../../domain/reservation.ts";
import { PICKUP } from "../../domain/shipment.ts";
import type { StockKey } from "./stock-locks.ts";

interface ReservationRow {
  reservation_id: string;
  order_id: string;
  store_id: string;
  status: Reservation["status"];
  priority: number;
  lines: Reservation["lines"];
  fulfillment_method: string;
  parcels: number | null;
  label: string | null;
  shipment_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
}

const selectReservation = `
  SELECT r.reservation_id, r.order_id, r.store_id, r.status, r.priority, r.fulfillment_method,
         r.parcels, r.label, r.shipment_id, r.carrier, r.tracking_number,
         coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'location', l.location, 'quantity', l.quantity) ORDER BY l.sku, l.location)
                   FROM reservation_lines l WHERE l.reservation_id = r.reservation_id), '[]') AS lines
  FROM reservations r`;

function fromRow(row: ReservationRow): Reservation {
  return {
    reservationId: row.reservation_id,
    orderId: row.order_id,
    storeId: row.store_id,
    status: row.status,
    priority: row.priority,
    lines: row.lines,
    fulfillmentMethod: row.fulfillment_method,
    ...(row.parcels !== null && { packing: { parcels: row.parcels, label: row.label ?? "" } }),
    ...(row.shipment_id !== null && { dispatch: { shipmentId: row.shipment_id, carrier: row.carrier ?? "", trackingNumber: row.tracking_number ?? "" } }),
  };
}

/** Reservations and their lines in warehouse's schema. Writes take the caller's transaction. */
export interface NewReservation {
  reservation: Reservation;
  releaseReason?: string | undefined;
  /** Routing chose the store: it counts against the store's daily capacity. */
  routed: boolean;
}

export const reservationRepository = {
  /**
   * The reservation with its lines; `lock` holds its row for the rest of the transaction.
   * Lock a reservation only after the stock rows the step will touch (README: lock order).
   */
  async find(tx: pg.ClientBase, reservationId: string, options: { lock: boolean }): Promise<Reservation | undefined> {
    const { rows } = await tx.query<ReservationRow>(`${selectReservation} WHERE r.reservation_id = $1 ${options.lock ? "FOR UPDATE OF r" : ""}`, [
      reservationId,
    ]);
    return rows[0] && fromRow(rows[0]);
  },

  /** These reservations by id; with `lock`, locked in id order (so two batches never wait for each other in a circle). */
  async findMany(tx: pg.ClientBase, reservationIds: readonly string[], options: { lock: boolean }): Promise<Map<string, Reservation>> {
    const ids = [...new Set(reservationIds)].filter(Boolean);
    if (ids.length === 0) return new Map();
    const { rows } = await tx.query<ReservationRow>(
      `${selectReservation} WHERE r.reservation_id = ANY($1::text[]) ORDER BY r.reservation_id COLLATE "C" ${options.lock ? "FOR UPDATE OF r" : ""}`,
      [ids],
    );
    return new Map(rows.map((row) => [row.reservation_id, fromRow(row)]));
  },

  /**
   * Steps taken by many reservations (each already locked), in one statement: every
   * reservation moves to its last state, and every step is recorded in the order taken.
   */
  async advanceMany(tx: pg.ClientBase, steps: readonly { next: Reservation; actor: Actor; detail: string }[]): Promise<void> {
    if (steps.length === 0) return;
    const last = [...new Map(steps.map((step) => [step.next.reservationId, step.next])).values()];
    // One round trip: the two tables have no constraint between them that the order of a
    // WITH's sub-statements could break (the steps' key to the reservation is unchanged).
    await tx.query(
      `WITH advanced AS (
         UPDATE reservations r SET status = s.status, fulfillment_method = s.fulfillment_method, parcels = s.parcels, label = s.label,
                                   shipment_id = s.shipment_id, carrier = s.carrier, tracking_number = s.tracking_number, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
              AS s(reservation_id, status, fulfillment_method, parcels, label, shipment_id, carrier, tracking_number)
         WHERE r.reservation_id = s.reservation_id
       )
       INSERT INTO reservation_steps (reservation_id, status, detail, actor_kind, actor_id, actor_role)
       SELECT a, b, c, d, e, f FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY AS s(a, b, c, d, e, f, n) ORDER BY n`,
      [
        last.map((r) => r.reservationId),
        last.map((r) => r.status),
        last.map((r) => r.fulfillmentMethod),
        last.map((r) => r.packing?.parcels ?? null),
        last.map((r) => r.packing?.label ?? null),
        last.map((r) => r.dispatch?.shipmentId ?? null),
        last.map((r) => r.dispatch?.carrier ?? null),
        last.map((r) => r.dispatch?.trackingNumber ?? null),
        steps.map((s) => s.next.reservationId),
        steps.map((s) => s.next.status),
        steps.map((s) => s.detail),
        steps.map((s) => s.actor.kind),
        steps.map((s) => s.actor.id),
        steps.map((s) => s.actor.role),
      ],
    );
  },

  /** Which of these reservations exist (one read for a batch's requests). */
  async existing(tx: pg.ClientBase, reservationIds: readonly string[]): Promise<Set<string>> {
    if (reservationIds.length === 0) return new Set();
    const { rows } = await tx.query<{ reservation_id: string }>("SELECT reservation_id FROM reservations WHERE reservation_id = ANY($1::text[])", [[...reservationIds]]);
    return new Set(rows.map((r) => r.reservation_id));
  },

  /**
   * The store's reservations at one step of the way out, most urgent first: the order's
   * priority, then the longest waiting at that step (`since`: when it got there), the
   * reservation id breaking a tie; `page.size` of them after `page.after`, each with its
   * position as the page token keeps it.
   */
  async pickList(
    db: pg.ClientBase | pg.Pool,
    storeId: string,
    status: Reservation["status"],
    page: PageAsked<PickListPosition>,
  ): Promise<(Reservation & { since: Date; position: PickListPosition })[]> {
    const params: unknown[] = [storeId, status];
    const where = ["store_id = $1", "status = $2"];
    if (page.after) {
      // Priority descends and the rest ascends, so not one row comparison: a lower priority, or the same and later.
      const priority = params.push(page.after.priority);
      const at = params.push(page.after.sinceMicros);
      const id = params.push(page.after.reservationId);
      where.push(
        `(priority < $${priority}::int OR (priority = $${priority}::int AND (updated_at, reservation_id COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C")))`,
      );
    }
    const { rows } = await db.query<ReservationRow & { updated_at: Date; since_micros: string }>(
      `WITH listed AS (
         SELECT * FROM reservations WHERE ${where.join(" AND ")}
         ORDER BY priority DESC, updated_at, reservation_id COLLATE "C" LIMIT $${params.push(page.size)}
       )
       SELECT r.reservation_id, r.order_id, r.store_id, r.status, r.priority, r.fulfillment_method,
              r.parcels, r.label, r.shipment_id, r.carrier, r.tracking_number, r.updated_at,
              (extract(epoch FROM r.updated_at) * 1000000)::bigint::text AS since_micros,
              coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'location', l.location, 'quantity', l.quantity) ORDER BY l.location, l.sku)
                        FROM reservation_lines l WHERE l.reservation_id = r.reservation_id), '[]') AS lines
       FROM listed r ORDER BY r.priority DESC, r.updated_at, r.reservation_id COLLATE "C"`,
      params,
    );
    return rows.map((row) => ({
      ...fromRow(row),
      since: row.updated_at,
      position: { step: row.status, priority: String(row.priority), sinceMicros: row.since_micros, reservationId: row.reservation_id },
    }));
  },

  /** Every reservation of the order, oldest first, without locks. */
  async findByOrder(tx: pg.ClientBase, orderId: string): Promise<Reservation[]> {
    const { rows } = await tx.query<ReservationRow>(`${selectReservation} WHERE r.order_id = $1 ORDER BY r.created_at, r.reservation_id`, [orderId]);
    return rows.map(fromRow);
  },

  /**
   * The (store, SKU)s whose stock rows steps on these reservations may lock: those of the
   * given reservations that are not released, and of the given orders' pick-up
   * reservations that are neither released nor handed over (hand-over at delivery). One
   * read, no locks: a batch takes these locks up front (stock-locks.ts).
   */
  async stockKeysOf(tx: pg.ClientBase, of: { reservationIds: readonly string[]; pickupsOfOrders: readonly string[] }): Promise<StockKey[]> {
    if (of.reservationIds.length === 0 && of.pickupsOfOrders.length === 0) return [];
    const { rows } = await tx.query<{ store_id: string; sku: string }>(
      `SELECT DISTINCT r.store_id, l.sku
       FROM reservations r JOIN reservation_lines l USING (reservation_id)
       WHERE (r.reservation_id = ANY($1::text[]) AND r.status <> 'released')
          OR (r.order_id = ANY($2::text[]) AND r.fulfillment_method = $3 AND r.status NOT IN ('released', 'handed-over'))`,
      [[...of.reservationIds], [...of.pickupsOfOrders], PICKUP],
    );
    return rows.map((r) => ({ storeId: r.store_id, sku: r.sku }));
  },

  /** A new reservation with its lines. `routed`: routing chose the store (it counts against the store's daily capacity). */
  async insert(tx: pg.ClientBase, reservation: Reservation, releaseReason?: string, routed = false): Promise<void> {
    await this.insertMany(tx, [{ reservation, releaseReason, routed }]);
  },

  /** New reservations with their lines, in one statement. */
  async insertMany(tx: pg.ClientBase, rows: readonly NewReservation[]): Promise<void> {
    if (rows.length === 0) return;
    const lines = rows.flatMap(({ reservation }) => reservation.lines.map((line) => ({ reservationId: reservation.reservationId, ...line })));
    await tx.query(
      `WITH reservation AS (
         INSERT INTO reservations (reservation_id, order_id, store_id, status, priority, release_reason, routed)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::bool[])
       )
       INSERT INTO reservation_lines (reservation_id, sku, location, quantity)
       SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::int[])`,
      [
        rows.map((r) => r.reservation.reservationId),
        rows.map((r) => r.reservation.orderId),
        rows.map((r) => r.reservation.storeId),
        rows.map((r) => r.reservation.status),
        rows.map((r) => r.reservation.priority),
        rows.map((r) => r.releaseReason ?? null),
        rows.map((r) => r.routed),
        lines.map((l) => l.reservationId),
        lines.map((l) => l.sku),
        lines.map((l) => l.location),
        lines.map((l) => l.quantity),
      ],
    );
  },

  /** Whether routing chose the reservation's store. */
  async isRouted(db: pg.ClientBase, reservationId: string): Promise<boolean> {
    const { rows } = await db.query<{ routed: boolean }>("SELECT routed FROM reservations WHERE reservation_id = $1", [reservationId]);
    return rows[0]?.routed ?? false;
  },

  async markReleased(tx: pg.ClientBase, reservationId: string, reason: string): Promise<void> {
    await tx.query(`UPDATE reservations SET status = 'released', release_reason = $2, updated_at = now() WHERE reservation_id = $1`, [
      reservationId,
      reason,
    ]);
  },
};
