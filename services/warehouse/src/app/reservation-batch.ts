import type pg from "pg";
import { reservationRepository } from "../adapters/pg/reservation-repository.ts";
import { routingRepository, type RoutingRules } from "../adapters/pg/routing-repository.ts";
import { partReservationIdOf, type Reservation } from "../domain/reservation.ts";
import type { ReservationRequest } from "./commands/reserve-stock.ts";

/**
 * What one consumed batch of requests knows, read once instead of per request: which of
 * its reservations exist already, the chain's routing rules, and the stock free to promise
 * per store and SKU — kept exact as the batch reserves in the stores it locked (those
 * serving its routed orders' districts: the only ones routing can choose) and read again
 * after a release. The day's routed counts are written once, at the end of the batch, in
 * its transaction.
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

  /** The batch reserved these units: less to promise at the store, and for a routed order one more routed there today. */
  noteReserved(reservation: Reservation, routed: boolean): void {
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

  /** Stock went back to the shelves in this batch: free stock is read again when next needed. */
  stockReturned(): void {
    this.#availability = undefined;
  }

  /** Writes the day's routed counts, one statement for the batch. */
  async flush(tx: pg.ClientBase): Promise<void> {
    if (this.#routed.size === 0) return;
    await routingRepository.countRouted(tx, this.#routed);
    this.#routed.clear();
  }
}
