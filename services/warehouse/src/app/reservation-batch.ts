import type pg from "pg";
import { UnavailableError } from "@oms/errors";
import { reservationRepository, type NewReservation } from "../adapters/pg/reservation-repository.ts";
import { routingRepository, type RoutingRules } from "../adapters/pg/routing-repository.ts";
import { stockRepository, type MovementContext, type StockBooking, type StockLevelRow } from "../adapters/pg/stock-repository.ts";
import { partReservationIdOf, type Reservation } from "../domain/reservation.ts";
import type { StockAtLocation } from "../domain/stock.ts";
import type { ReservationRequest } from "./commands/reserve-stock.ts";

/**
 * What one consumed batch of requests knows, read once instead of per request: which of
 * its reservations exist already, the chain's routing rules, the stock rows it locked and
 * the stock free to promise per store and SKU — kept exact in memory as the batch
 * reserves, and read again after a release. What it books is written at `flush`, in one
 * statement per table (stock with its ledger, reservations, the day's routed counts), so
 * the batch holds its stock locks for a handful of round trips, not three per order.
 *
 * Requests other than reservations read the tables: `flush` before handling one.
 *
 * With `lockLate` (a batch of reservation requests only), the batch decides on stock rows
 * read without locks and, at `flush`, locks only the rows it booked — in one statement, in
 * key order, as its last writes before the commit — and books them under the booking's
 * own guard (a row that moved meanwhile fails the batch, which is applied again). A hot
 * item's rows are then held for two statements, not the batch's whole transaction, and a
 * routed order no longer holds the rows of every store that could have served it.
 */
export class ReservationBatch {
  readonly #requests: readonly ReservationRequest[];
  /** Reservation ids looked up so far, and those of them that exist. */
  readonly #checked = new Set<string>();
  readonly #existing = new Set<string>();
  #rules: RoutingRules | undefined;
  #availability: Map<string, Map<string, number>> | undefined;
  #availableSkus = new Set<string>();
  readonly #routed = new Map<string, number>();
  /** Locked stock rows per store and SKU, as the batch's bookings leave them. */
  #stock = new Map<string, StockAtLocation[]>();
  #bookings: StockBooking[] = [];
  #reservations: NewReservation[] = [];

  readonly #lockLate: boolean;

  constructor(requests: readonly ReservationRequest[] = [], options: { lockLate: boolean } = { lockLate: false }) {
    this.#requests = requests;
    this.#lockLate = options.lockLate;
  }

  /** Whether the reservation (or the first part of its split) exists already. */
  async exists(tx: pg.ClientBase, reservationId: string): Promise<boolean> {
    if (!this.#checked.has(reservationId)) {
      const asked = [...new Set([reservationId, ...this.#requests.map((r) => r.payload.reservationId)])].filter((id) => !this.#checked.has(id));
      const found = await reservationRepository.existing(tx, asked.flatMap((id) => [id, partReservationIdOf(id, 1)]));
      for (const id of asked) this.#checked.add(id);
      for (const id of found) this.#existing.add(id);
    }
    return this.#existing.has(reservationId) || this.#existing.has(partReservationIdOf(reservationId, 1));
  }

  async rulesOf(tx: pg.ClientBase): Promise<RoutingRules> {
    return (this.#rules ??= await routingRepository.rules(tx));
  }

  /**
   * Free stock per store and SKU, read for every SKU the batch's routed requests ask for at
   * once. The tables do not hold what the batch booked and has not flushed yet: the figures
   * are read less those bookings, so routing never picks a store on units already promised.
   */
  async availabilityOf(tx: pg.ClientBase, storeIds: readonly string[], skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    if (!this.#availability || skus.some((sku) => !this.#availableSkus.has(sku))) {
      const wanted = new Set([...skus, ...this.#requests.filter((r) => r.payload.route).flatMap((r) => r.payload.lines.map((l) => l.sku))]);
      const free = await routingRepository.availability(tx, storeIds, [...wanted]);
      for (const { storeId, lines } of this.#bookings) takeOffFree(free, storeId, lines);
      this.#availability = free;
      this.#availableSkus = wanted;
    }
    return this.#availability;
  }

  /** The stock rows the batch locked: reservations are decided against them. */
  holdStock(rows: readonly StockLevelRow[], keys: readonly { storeId: string; sku: string }[]): void {
    for (const { storeId, sku } of keys) this.#stock.set(stockKey(storeId, sku), []);
    for (const { storeId, ...row } of rows) this.#stock.get(stockKey(storeId, row.sku))?.push(row);
  }

  /** Every location of the store's SKUs (copies): from what the batch holds, or read now (locked, unless it locks late) for a SKU it does not hold. */
  async stockOf(tx: pg.ClientBase, storeId: string, lines: readonly string[]): Promise<StockAtLocation[]> {
    const skus = [...new Set(lines)]; // an order may name a SKU on two lines; its rows count once
    const missing = skus.filter((sku) => !this.#stock.has(stockKey(storeId, sku)));
    if (missing.length > 0) {
      const rows = this.#lockLate
        ? await stockRepository.readAll(tx, missing.map((sku) => ({ storeId, sku })))
        : await stockRepository.lockForSkus(tx, storeId, missing);
      this.holdStock(
        rows.map((row) => ({ ...row, storeId })),
        missing.map((sku) => ({ storeId, sku })),
      );
    }
    return skus.flatMap((sku) => this.#stock.get(stockKey(storeId, sku))!.map((row) => ({ ...row })));
  }

  /** Books a reservation decided against stockOf: written at flush, counted at once. */
  book(reservation: Reservation, context: MovementContext, routed: boolean): void {
    this.#bookings.push({ storeId: reservation.storeId, lines: reservation.lines, context });
    this.#reservations.push({ reservation, routed });
    for (const line of reservation.lines) {
      const row = this.#stock.get(stockKey(reservation.storeId, line.sku))?.find((r) => r.location === line.location);
      if (row) row.reserved += line.quantity;
    }
    this.#noteReserved(reservation, routed);
  }

  /** The batch reserved these units: less to promise at the store, and for a routed order one more routed there today. */
  #noteReserved(reservation: Reservation, routed: boolean): void {
    this.#checked.add(reservation.reservationId);
    this.#existing.add(reservation.reservationId);
    if (this.#availability) takeOffFree(this.#availability, reservation.storeId, reservation.lines);
    if (!routed) return;
    this.#routed.set(reservation.storeId, (this.#routed.get(reservation.storeId) ?? 0) + 1);
    const store = this.#rules?.stores.find((s) => s.storeId === reservation.storeId);
    if (store) store.routedToday++;
  }

  /** A release of a reservation never made is remembered (so a late request for it takes nothing). */
  noteTombstone(reservationId: string): void {
    this.#checked.add(reservationId);
    this.#existing.add(reservationId);
  }

  /** Stock went back to the shelves in this batch (written, after a flush): stock is read again when next needed. */
  stockReturned(): void {
    this.#availability = undefined;
    this.#stock = new Map();
  }

  /**
   * Writes what the batch booked so far and the day's routed counts, one statement each;
   * the stock last, so that a batch locking late holds its rows only until the commit.
   */
  async flush(tx: pg.ClientBase): Promise<void> {
    const bookings = this.#bookings;
    const reservations = this.#reservations;
    this.#bookings = [];
    this.#reservations = [];
    await reservationRepository.insertMany(tx, reservations);
    if (this.#routed.size > 0) {
      await routingRepository.countRouted(tx, this.#routed);
      this.#routed.clear();
    }
    if (this.#lockLate) assertStillFree(await stockRepository.lockAll(tx, bookedKeysOf(bookings)), bookings);
    await stockRepository.reserve(tx, bookings);
  }
}

/** Booked units are no longer free at their store (figures for SKUs that were not read stay unread). */
function takeOffFree(free: Map<string, Map<string, number>>, storeId: string, lines: readonly { sku: string; quantity: number }[]): void {
  const atStore = free.get(storeId);
  for (const line of lines) {
    const figure = atStore?.get(line.sku);
    if (figure !== undefined) atStore!.set(line.sku, figure - line.quantity);
  }
}

function stockKey(storeId: string, sku: string): string {
  return `${storeId}\u0000${sku}`;
}

/** The (store, SKU) keys the bookings write, once each. */
function bookedKeysOf(bookings: readonly StockBooking[]): { storeId: string; sku: string }[] {
  const keys = new Map<string, { storeId: string; sku: string }>();
  for (const { storeId, lines } of bookings) for (const { sku } of lines) keys.set(stockKey(storeId, sku), { storeId, sku });
  return [...keys.values()];
}

/**
 * A batch that locked late decided on rows read earlier: if one of them no longer has what
 * was booked on it (a count found less meanwhile), the batch is applied again from a
 * fresh read. Unavailable, not a refusal: the requests are fine, the moment was not.
 */
function assertStillFree(locked: readonly StockLevelRow[], bookings: readonly StockBooking[]): void {
  const wanted = new Map<string, number>();
  for (const { storeId, lines } of bookings) {
    for (const line of lines) wanted.set(rowKey(storeId, line.sku, line.location), (wanted.get(rowKey(storeId, line.sku, line.location)) ?? 0) + line.quantity);
  }
  for (const row of locked) {
    const quantity = wanted.get(rowKey(row.storeId, row.sku, row.location));
    if (quantity !== undefined && row.onHand - row.reserved - row.safetyStock < quantity) {
      throw new UnavailableError("stock.moved-while-deciding", `stock of ${row.sku} at ${row.storeId} moved while the batch decided; it is applied again`);
    }
  }
}

/** The failure of a batch that locked late and found a row moved: the caller decides again, locking first. */
export function isStockMovedWhileDeciding(error: unknown): boolean {
  return error instanceof UnavailableError && error.code === "stock.moved-while-deciding";
}

function rowKey(storeId: string, sku: string, location: string): string {
  return `${storeId}\u0000${sku}\u0000${location}`;
}

