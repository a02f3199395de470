import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { allocate, type RequestedLine, type ShortLine } from "./allocation.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * Staff say when a SKU is expected back in stock at a store (ADR 030's second addendum): the
 * supplier's delivery is due on a day, or no longer on a known day. Every location of the SKU
 * at the store carries the date, as a receipt clears it from every location: the readers take
 * the earliest of the locations' dates, so a date on some rows only would be told as readily,
 * but a later clearing or a change would leave the others behind. Pure: the adapter locks the
 * SKU's rows and passes them in, with the clock's time.
 */

/** A date to record, or "" to clear it (then with the clerk's reason). */
export interface RestockExpectation {
  storeId: string;
  sku: string;
  /** ISO date; "" clears. */
  date: string;
  /** Why a date is cleared; "" when one is recorded. */
  reason: string;
  /**
   * Where the delivery will be shelved, when staff name it (recording only): a SKU the store
   * has no row of yet — a product it is introducing — gets this location's row with nothing on
   * hand, so the date has a row to be kept on (ADR 030's fifth addendum). "" names none.
   */
  location?: string;
}

/** As the gateway bounds them (a SKU or a location is text of at most 64 characters). */
export const maxKeyLength = 64;

/**
 * What the request changes: nothing (the date is already as asked); only rows that lack the date
 * the store already tells (a location booked since, or one set by hand), which take it without
 * a word to anyone; or the store's date, from `previous` to the new one.
 */
export type RestockDecision = { kind: "unchanged" } | { kind: "aligned" } | { kind: "changed"; previous: string };

export const maxClearingReasonLength = 500;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD: 2027-02-30 is not one. */
export function isIsoCalendarDate(value: string): boolean {
  const parts = isoDate.exec(value);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The westernmost time zone's offset from UTC, in hours (UTC−12): where a calendar day ends last. */
const latestZoneOffsetHours = -12;

/**
 * The earliest calendar day that is still today somewhere on Earth: the day at UTC−12. The
 * warehouse does not know a store's time zone, and every store's own today is this day or
 * the next one (or, east of UTC+12, the one after): a clerk west of UTC in their afternoon is
 * already in UTC's tomorrow, and must still be able to say "the truck comes today".
 */
export function earliestTodayOf(now: Date): string {
  return new Date(now.getTime() + latestZoneOffsetHours * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A day already over in every time zone (before earliestTodayOf): recording it is refused, and a
 * date recorded earlier that has come to this without a delivery is overdue (the store's list
 * of expected restocks). One rule for both, so a date is never refused as past yet not overdue.
 */
export function isOverEverywhere(date: string, now: Date): boolean {
  return date < earliestTodayOf(now);
}

/**
 * A date to record: the store and SKU named, a real calendar day, not one already over in
 * every time zone (earliestTodayOf). A day past everywhere would tell the customer a delivery
 * that has already not come; a store's own today is always accepted, wherever the store is.
 */
export function assertRecordable(expectation: RestockExpectation, now: Date): void {
  const fields = keyFields(expectation);
  const location = expectation.location ?? "";
  if (location) {
    // A row is made for these only when a location is named: a SKU or location the gateway would refuse must not reach the table.
    if (expectation.sku.length > maxKeyLength) fields.push({ field: "sku", message: `must be at most ${maxKeyLength} characters` });
    if (location.length > maxKeyLength) fields.push({ field: "location", message: `must be at most ${maxKeyLength} characters` });
    if (location.includes("\u0000")) fields.push({ field: "location", message: "must not contain NUL" });
  }
  const earliest = earliestTodayOf(now);
  if (!isIsoCalendarDate(expectation.date)) fields.push({ field: "date", message: `must be a calendar date written YYYY-MM-DD, got "${expectation.date}"` });
  else if (isOverEverywhere(expectation.date, now)) {
    fields.push({ field: "date", message: `${expectation.date} is over in every time zone (the earliest today anywhere is ${earliest}): the delivery can no longer be expected then` });
  }
  if (fields.length > 0) throw new ValidationError(fields, undefined, "stock.invalid-restock-date");
}

/** A clearing: the store and SKU named, and why (the supplier cancelled, gave no day), which the trail keeps. */
export function assertClearable(expectation: RestockExpectation): void {
  const fields = keyFields(expectation);
  const reason = expectation.reason.trim();
  if (!reason) fields.push({ field: "reason", message: "is required: say why the delivery is no longer expected on a known day" });
  else if (reason.length > maxClearingReasonLength) fields.push({ field: "reason", message: `must be at most ${maxClearingReasonLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "stock.invalid-restock-clearing");
}

/**
 * Against the SKU's rows at the store, as locked. No row: the store does not stock the SKU, or
 * the warehouse does not know the store — refused, since the date would be kept nowhere the
 * shortages read (`storeKnown` says which to name). The same date on every row already (a
 * retry, or cleared twice) changes nothing. The date the readers tell (the earliest of the
 * rows') already the one asked, the other rows take it and nobody is told again: a retry after
 * a new location was booked must not announce the same day twice. Otherwise every row takes
 * the new date, and the previous one is what the readers told until now.
 */
export function decideRestockExpectation(expectation: RestockExpectation, rows: readonly StockAtLocation[], storeKnown: boolean): RestockDecision {
  const ofSku = rows.filter((r) => r.sku === expectation.sku);
  if (ofSku.length === 0) {
    if (!storeKnown) throw new NotFoundError("store.unknown", `the warehouse knows no store ${expectation.storeId}`);
    throw new NotFoundError(
      "stock.sku-not-stocked",
      `store ${expectation.storeId} has no location of ${expectation.sku} on record; name the location its delivery will be shelved at (location), or book a receipt or a count of it first, so the date has somewhere to be kept`,
    );
  }
  if (ofSku.every((r) => r.expectedRestockDate === expectation.date)) return { kind: "unchanged" };
  const previous = earliestDate(ofSku);
  if (previous === expectation.date) return { kind: "aligned" };
  return { kind: "changed", previous };
}

/**
 * A waiting replacement's short lines against the store's stock as it now stands (the new
 * date on the SKU's rows), as the acceptance worked them out: what each short SKU needs, what
 * can be promised, and the earliest date a location expects it. None when the stock covers
 * it whole now (opening stock: it waits for the next rise or the clerk's shipment).
 */
export function shortLinesNow(lines: readonly RequestedLine[], stock: readonly StockAtLocation[]): ShortLine[] {
  const decision = allocate(lines, stock);
  return decision.kind === "short" ? decision.lines : [];
}

function earliestDate(rows: readonly StockAtLocation[]): string {
  return rows.map((r) => r.expectedRestockDate).filter(Boolean).sort()[0] ?? "";
}

function keyFields(expectation: RestockExpectation): FieldError[] {
  const fields: FieldError[] = [];
  for (const key of ["storeId", "sku"] as const) if (!expectation[key].trim()) fields.push({ field: key, message: "is required" });
  return fields;
}
