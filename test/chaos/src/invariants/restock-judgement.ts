import { n, type ExchangeRecord } from "./context.ts";

/** One statement on the warehouse's trail of expected restock dates (ADR 030's second addendum): the date (null: cleared) and the one it replaced. */
export interface RestockTrailRow {
  id: number;
  store_id: string;
  sku: string;
  date: string | null;
  previous: string | null;
}

/** A SKU's stock at a store: the date it tells (the earliest over its locations), and whether a goods receipt came since its last statement. */
export interface StockDateRow {
  store_id: string;
  sku: string;
  date: string | null;
  receipt_since: boolean;
}

/** A replacement with what its case shows as the day it can be expected. */
export interface ReplacementDateRow {
  case_id: string;
  status: string;
  store_id: string;
  skus: string[];
  case_date: string | null;
}

export interface RestockFacts {
  trail: readonly RestockTrailRow[];
  stock: readonly StockDateRow[];
  replacements: readonly ReplacementDateRow[];
  asked: ReadonlyMap<string, ExchangeRecord>;
}

const keyOf = (storeId: string, sku: string) => `${storeId}/${sku}`;

/**
 * Expected restock dates the store's clerk recorded: each answered one on the trail; the trail
 * holding only dates the clerk set out to record, none cleared by anyone, none restating the date
 * it replaced (a retry writes nothing); the store's stock telling the last date stated unless a
 * goods receipt came since and cleared it; and the case of a replacement showing a date only while
 * it awaits stock — one of its SKUs' dates at its store, and one whenever each of them has one (the
 * latest of the short lines', which the stock alone cannot name). Pure: restock-dates.ts reads the facts.
 */
export function judgeRestockDates(facts: RestockFacts): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const meant = new Map<string, Set<string>>();
  let answered = 0;
  const trailOf = new Map<string, RestockTrailRow[]>();
  for (const t of facts.trail) trailOf.set(keyOf(t.store_id, t.sku), [...(trailOf.get(keyOf(t.store_id, t.sku)) ?? []), t]);
  for (const record of facts.asked.values()) {
    for (const told of record.restockDates ?? []) {
      const key = keyOf(told.storeId, told.sku);
      meant.set(key, (meant.get(key) ?? new Set()).add(told.date));
      if (!told.answered) continue;
      answered++;
      if (!(trailOf.get(key) ?? []).some((t) => t.date === told.date)) failures.push(`restock of ${key} expected ${told.date} was answered for case ${record.caseId}, but is not on the trail`);
    }
  }
  for (const t of facts.trail) {
    const key = keyOf(t.store_id, t.sku);
    if (t.date === null) failures.push(`restock of ${key} cleared (trail ${t.id}), which nobody asked`);
    else if (!meant.get(key)?.has(t.date)) failures.push(`restock of ${key} expected ${t.date} (trail ${t.id}), which no clerk set out to record`);
    if (t.date === t.previous) failures.push(`restock of ${key} stated ${t.date ?? "cleared"} again over itself (trail ${t.id})`);
  }
  const stock = new Map(facts.stock.map((s) => [keyOf(s.store_id, s.sku), s]));
  let cleared = 0;
  for (const [key, rows] of trailOf) {
    const last = rows.reduce((a, b) => (b.id > a.id ? b : a));
    const s = stock.get(key);
    const told = s?.date ?? null;
    if (told === last.date) continue;
    if (told === null && s?.receipt_since) cleared++;
    else failures.push(`${key}'s stock tells restock ${told ?? "unknown"}, its last statement ${last.date ?? "cleared"}${s?.receipt_since ? " (a receipt since)" : ""}`);
  }
  let shown = 0;
  for (const r of facts.replacements) {
    const dates = r.skus.map((sku) => stock.get(keyOf(r.store_id, sku))?.date ?? null);
    if (r.status !== "awaiting-stock") {
      if (r.case_date !== null) failures.push(`case ${r.case_id} shows restock ${r.case_date} for a replacement ${r.status}`);
      continue;
    }
    if (r.case_date !== null) {
      shown++;
      if (!dates.includes(r.case_date)) failures.push(`case ${r.case_id} shows restock ${r.case_date}, its SKUs at ${r.store_id} expect ${dates.map((d) => d ?? "unknown").join(", ")}`);
    } else if (dates.every((d) => d !== null)) {
      failures.push(`case ${r.case_id} shows no restock date, though every SKU of its replacement at ${r.store_id} expects one (${dates.join(", ")})`);
    }
  }
  const figure =
    `${n(answered)} expected restock dates recorded for ${n(trailOf.size)} SKUs of stores, each on the trail and on the stock as last told (${n(cleared)} cleared by a goods receipt since); ` +
    `${n(shown)} waiting replacements' cases show their date, none that does not wait; ${n(failures.length)} problems`;
  return { failures, figure };
}
