import type pg from "pg";
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

  constructor(requests: readonly ReservationRequest[] = []) {
    this.#requests = requests;
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

  /** Free stock per store and SKU, read for every SKU the batch's routed requests ask for at once. */
  async availabilityOf(tx: pg.ClientBase, storeIds: readonly string[], skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    if (!this.#availability || skus.some((sku) => !this.#availableSkus.has(sku))) {
      const wanted = new Set([...skus, ...this.#requests.filter((r) => r.payload.route).flatMap((r) => r.payload.lines.map((l) => l.sku))]);
      this.#availability = await routingRepository.availability(tx, storeIds, [...wanted]);
      this.#availableSkus = wanted;
    }
    return this.#availability;
  }

  /** The stock rows the batch locked: reservations are decided against them. */
  holdStock(rows: readonly StockLevelRow[], keys: readonly { storeId: string; sku: string }[]): void {
    for (const { storeId, sku } of keys) this.#stock.set(stockKey(storeId, sku), []);
    for (const { storeId, ...row } of rows) this.#stock.get(stockKey(storeId, row.sku))?.push(row);
  }

  /** Every location of the store's SKUs (copies), locked: from what the batch holds, or locked now for a SKU it does not hold. */
  async stockOf(tx: pg.ClientBase, storeId: string, lines: readonly string[]): Promise<StockAtLocation[]> {
    const skus = [...new Set(lines)]; // an order may name a SKU on two lines; its rows count once
    const missing = skus.filter((sku) => !this.#stock.has(stockKey(storeId, sku)));
    if (missing.length > 0) {
      const rows = await stockRepository.lockForSkus(tx, storeId, missing);
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
    const free = this.#availability?.get(reservation.storeId);
    for (const line of reservation.lines) free?.set(line.sku, (free.get(line.sku) ?? 0) - line.quantity);
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

  /** Writes what the batch booked so far and the day's routed counts, one statement each. */
  async flush(tx: pg.ClientBase): Promise<void> {
    const bookings = this.#bookings;
    const reservations = this.#reservations;
    this.#bookings = [];
    this.#reservations = [];
    await stockRepository.reserve(tx, bookings);
    await reservationRepository.insertMany(tx, reservations);
    if (this.#routed.size === 0) return;
    await routingRepository.countRouted(tx, this.#routed);
    this.#routed.clear();
  }
}

function stockKey(storeId: string, sku: string): string {
  return `${storeId}\u0000${sku}`;
}
