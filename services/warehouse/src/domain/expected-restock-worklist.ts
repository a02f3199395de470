import { isOverEverywhere } from "./restock-expectation.ts";

/**
 * The store's expected deliveries as a worklist (ADR 030's second addendum, "the store's list"):
 * a date that passes without a delivery keeps being told until someone records another, clears
 * it, or goods arrive, so the clerks need to see which dates have passed. Pure: the adapter
 * reads the SKUs with a date, their trail and what waits for them; the clock's time comes in.
 */

/** A SKU with an expected date at a store, as read. */
export interface ExpectedRestockRow {
  sku: string;
  /** ISO date, the earliest over the SKU's locations. */
  date: string;
  /** When and by whom the trail last stated this date; "" when it never did (set by SQL). */
  recordedAt: string;
  recordedBy: string;
  /** Units promisable now over the SKU's locations. */
  available: number;
  /** Replacements awaiting stock that name the SKU, and the units of it they want in all. */
  waitingReplacements: number;
  unitsWanted: number;
}

export interface ExpectedRestockEntry extends Omit<ExpectedRestockRow, "unitsWanted"> {
  overdue: boolean;
  /** The replacements' units beyond what is available now (backorders are fulfillment's, not counted). */
  unitsShort: number;
}

/**
 * Each SKU marked overdue by the rule that refuses recording a past date (isOverEverywhere), the
 * overdue ones first (the longest over first), then the coming ones by date, then by SKU.
 */
export function expectedRestockWorklist(rows: readonly ExpectedRestockRow[], now: Date, overdueOnly: boolean): ExpectedRestockEntry[] {
  const entries = rows.map(({ unitsWanted, ...row }) => ({
    ...row,
    overdue: isOverEverywhere(row.date, now),
    unitsShort: Math.max(0, unitsWanted - row.available),
  }));
  return entries
    .filter((e) => e.overdue || !overdueOnly)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || compare(a.date, b.date) || compare(a.sku, b.sku));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
