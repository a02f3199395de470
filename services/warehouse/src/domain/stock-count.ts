import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import type { StockAtLocation } from "./stock.ts";

/**
 * Stock counts and goods received: the two ways the books change without an order.
 * Pure: the adapter locks the row (or finds none: it then counts as empty) and passes it in.
 */

export interface StockCount {
  storeId: string;
  sku: string;
  location: string;
  counted: number;
  reason: string;
}

export interface StockReceipt {
  storeId: string;
  /** The clerk's own id of the receipt (the delivery note's number and line): booked once. */
  receiptId: string;
  sku: string;
  location: string;
  quantity: number;
}

/** What the count changes: on_hand becomes `counted`; difference = counted − what the books said. */
export interface CountCorrection {
  counted: number;
  difference: number;
}

export function assertCountable(count: StockCount): void {
  const fields = locationFields(count);
  if (!Number.isInteger(count.counted) || count.counted < 0) fields.push({ field: "counted", message: `must be a whole number >= 0, got ${count.counted}` });
  if (!count.reason.trim()) fields.push({ field: "reason", message: "is required: say why the books are corrected (periodic count, damage found, ...)" });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "stock.invalid-count");
}

export function assertReceivable(receipt: StockReceipt): void {
  const fields = locationFields(receipt);
  const receiptId = receipt.receiptId.trim();
  if (!receiptId) fields.push({ field: "receiptId", message: "is required: the delivery note's number (and line), so that a receipt sent twice is booked once" });
  else if (receiptId.length > 100) fields.push({ field: "receiptId", message: "must be at most 100 characters" });
  if (!Number.isInteger(receipt.quantity) || receipt.quantity < 1) {
    fields.push({ field: "quantity", message: `must be a whole number >= 1, got ${receipt.quantity}` });
  }
  if (fields.length > 0) throw new ValidationError(fields, undefined, "stock.invalid-receipt");
}

/**
 * A receipt whose id was booked before: the same receipt sent again (a double click, a
 * retry after a timeout) books nothing more; another receipt under a used id is refused,
 * since booking it would lose it and skipping it would lose its goods.
 */
export function isRepeatOfBooked(receipt: StockReceipt, booked: StockReceipt | undefined): boolean {
  if (!booked) return false;
  if (booked.sku === receipt.sku && booked.location === receipt.location && booked.quantity === receipt.quantity) return true;
  throw new IllegalStateError(
    "stock.receipt-id-reused",
    `receipt ${receipt.receiptId} was booked as ${booked.quantity} of ${booked.sku} at ${booked.location}; give this receipt an id of its own`,
  );
}

/**
 * The count corrects the books, except below what is promised to orders: then some order
 * will not get its units, which is an exception a clerk raises and may not resolve alone
 * (DOMAIN.md). The books stay as they are until the reservations are released.
 */
export function decideCount(count: StockCount, books: StockAtLocation | undefined): CountCorrection {
  assertCountable(count);
  const onHand = books?.onHand ?? 0;
  const reserved = books?.reserved ?? 0;
  if (count.counted < reserved) {
    throw new IllegalStateError(
      "stock.count-below-reserved",
      `counted ${count.counted} of ${count.sku} at ${count.location}, but ${reserved} are reserved for orders; ` +
        "the books are left unchanged: raise a stock exception so the reservations are released or moved first",
    );
  }
  return { counted: count.counted, difference: count.counted - onHand };
}

function locationFields(of: { storeId: string; sku: string; location: string }): FieldError[] {
  const fields: FieldError[] = [];
  for (const key of ["storeId", "sku", "location"] as const) if (!of[key].trim()) fields.push({ field: key, message: "is required" });
  return fields;
}
