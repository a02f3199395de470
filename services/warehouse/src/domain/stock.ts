/**
 * Stock of one SKU at one location of a store, as the warehouse books it. Pure: no I/O.
 * `onHand` is what is physically there, reserved units included; `reserved` is the part
 * promised to orders; `safetyStock` is never promised (it covers breakage and miscounts).
 */
export interface StockAtLocation {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** ISO date (YYYY-MM-DD) the next delivery is expected; empty when nobody knows. */
  expectedRestockDate: string;
}

/** What may still be promised to an order; never negative, even when a count found less than was reserved. */
export function availableAt(stock: StockAtLocation): number {
  return Math.max(0, stock.onHand - stock.reserved - stock.safetyStock);
}
