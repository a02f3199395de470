import type { FieldError } from "@oms/errors";

/**
 * A store's sales over a period (DOMAIN.md, Supervision and KPIs: "order trends, product and
 * service sales, customer regions"): what the store manager reads to see which way orders
 * go, what sells and where its customers are. Pure: the request's options checked here, the
 * figures counted by the database (adapters/pg/sales-report-repository.ts).
 */

export const salesIntervals = ["day", "week", "month"] as const;
export type SalesInterval = (typeof salesIntervals)[number];

export const defaultTopItems = 20;
export const maxTopItems = 200;

export interface SalesReportOptions {
  interval: SalesInterval;
  timeZone: string;
  top: number;
}

/** Whether the runtime knows the name as an IANA time zone (e.g. Asia/Shanghai). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Postgres may read the name as a time-zone abbreviation, which it looks up before the
 * zone names and which means another zone than the runtime's: "IST" is India here and Israel
 * (+02:00) there, "CST" America/Chicago here and a fixed -06:00 there (and China to a Chinese
 * store), "ACT", "BST", "NST" likewise. Every abbreviation both know is 2 to 5 letters; UTC and
 * GMT read alike everywhere.
 */
function isAbbreviation(timeZone: string): boolean {
  return /^[A-Za-z]{2,5}$/.test(timeZone) && !["UTC", "GMT"].includes(timeZone.toUpperCase());
}

/**
 * The report's options, defaults filled in; every wrong one is added to `fields`, so the
 * request is refused once, naming all of them with its other fields (the period's).
 */
export function salesReportOptionsOf(request: { interval: string; timeZone: string; top: number }, fields: FieldError[]): SalesReportOptions {
  const interval = request.interval.trim() || "day";
  if (!(salesIntervals as readonly string[]).includes(interval)) fields.push({ field: "interval", message: `must be one of ${salesIntervals.join(", ")}` });
  const timeZone = request.timeZone.trim() || "UTC";
  // Only names: an offset such as "+08:00" means the opposite in Postgres's POSIX reading.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone) || !isTimeZone(timeZone)) fields.push({ field: "timeZone", message: "must be an IANA time zone, e.g. Asia/Shanghai" });
  else if (isAbbreviation(timeZone)) {
    fields.push({ field: "timeZone", message: `must be an IANA time zone such as Asia/Shanghai, not an abbreviation: the database reads ${timeZone} as another zone` });
  }
  const top = request.top === 0 ? defaultTopItems : request.top;
  if (!Number.isInteger(top) || top < 1 || top > maxTopItems) fields.push({ field: "top", message: `must be a whole number from 1 to ${maxTopItems}` });
  return { interval: interval as SalesInterval, timeZone, top };
}

/** Statuses whose orders are not sales: taken, then undone. */
export const unsoldStatuses: readonly string[] = ["cancelled", "rejected"];
