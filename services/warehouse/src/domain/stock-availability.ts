import { availableAt, type StockAtLocation } from "./stock.ts";

/**
 * What each store can still promise of one SKU (ADR 030's third addendum): the desk looks for a
 * store to send a waiting replacement from. "Available" is what a reservation would count — per
 * location on hand less reserved less safety stock, none below zero — summed over the store's
 * locations, so a store shown with 2 can reserve 2 now. Pure.
 */
export interface StoreAvailability {
  storeId: string;
  available: number;
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** The earliest date any location expects the SKU back; "" when nobody knows. */
  expectedRestockDate: string;
}

/** Per store, the most available first (then the store id, so the same stock gives the same list). */
export function availabilityPerStore(rows: readonly (StockAtLocation & { storeId: string })[]): StoreAvailability[] {
  const byStore = new Map<string, StoreAvailability>();
  for (const row of rows) {
    const store = byStore.get(row.storeId) ?? { storeId: row.storeId, available: 0, onHand: 0, reserved: 0, safetyStock: 0, expectedRestockDate: "" };
    store.available += availableAt(row);
    store.onHand += row.onHand;
    store.reserved += row.reserved;
    store.safetyStock += row.safetyStock;
    if (row.expectedRestockDate && (!store.expectedRestockDate || row.expectedRestockDate < store.expectedRestockDate)) store.expectedRestockDate = row.expectedRestockDate;
    byStore.set(row.storeId, store);
  }
  return [...byStore.values()].sort((a, b) => b.available - a.available || (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0));
}
