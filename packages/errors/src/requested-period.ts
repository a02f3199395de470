import { ValidationError, type FieldError } from "./index.ts";

/** RFC 3339: a date, a time and an offset (or Z); what `new Date` would also guess from is refused. */
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function timeOf(field: string, value: string, fields: FieldError[]): Date | undefined {
  if (!value) {
    fields.push({ field, message: "is required (RFC 3339)" });
    return undefined;
  }
  const time = new Date(value);
  if (!rfc3339.test(value) || Number.isNaN(time.getTime())) {
    fields.push({ field, message: "is not an RFC 3339 time" });
    return undefined;
  }
  // Postgres has no year 0, and nothing happened before the system existed.
  if (time.getUTCFullYear() < 1970) {
    fields.push({ field, message: "must be in 1970 or later" });
    return undefined;
  }
  return time;
}

/** The longest period one report covers: a year, leap day included. */
export const maxReportDays = 366;

/**
 * Days are counted as local days: from one local midnight to another `maxDays` later is an
 * hour longer when the clocks go back in between (October in Europe is 31 days of 745 hours).
 */
const clocksChange = 3600_000;

/**
 * The period a report asks for, [from, until), checked field by field for every service's
 * reports alike: both RFC 3339, `until` after `from`, at most `maxDays` long. Refused with a
 * ValidationError naming each field wrong, together with `more` (the request's other fields).
 */
export function requestedPeriod(request: { from: string; until: string }, more: FieldError[] = [], maxDays = maxReportDays): { from: Date; until: Date } {
  const fields = [...more];
  const from = timeOf("from", request.from, fields);
  const until = timeOf("until", request.until, fields);
  if (from && until && from.getTime() >= until.getTime()) fields.push({ field: "until", message: "must be after from" });
  else if (from && until && until.getTime() - from.getTime() > maxDays * 24 * 3600_000 + clocksChange) fields.push({ field: "until", message: `must be at most ${maxDays} days after from` });
  if (fields.length > 0 || !from || !until) throw new ValidationError(fields);
  return { from, until };
}
