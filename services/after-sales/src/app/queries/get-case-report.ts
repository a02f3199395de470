import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { satisfactionRepository } from "../../adapters/pg/satisfaction-repository.ts";
import { caseFiguresOf } from "../../adapters/pg/case-report-repository.ts";

/** The longest period one report covers: a year, leap day included. */
export const maxReportDays = 366;

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
  // Postgres has no year 0, and no case was opened before the system existed.
  if (time.getUTCFullYear() < 1970) {
    fields.push({ field, message: "must be in 1970 or later" });
    return undefined;
  }
  return time;
}

/**
 * Common problems and complaint hot spots of a store (DOMAIN.md, After-sales): the cases
 * opened in [from, until), by kind, by cause, the goods most asked about, and how its
 * complaints were answered.
 */
export async function getCaseReport(pool: pg.Pool, request: afterSalesApi.GetCaseReportRequest): Promise<afterSalesApi.CaseReport> {
  const fields: FieldError[] = [];
  const storeId = request.storeId.trim();
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  const from = timeOf("from", request.from, fields);
  const until = timeOf("until", request.until, fields);
  if (from && until && from.getTime() >= until.getTime()) fields.push({ field: "until", message: "must be after from" });
  else if (from && until && until.getTime() - from.getTime() > maxReportDays * 24 * 3600_000) fields.push({ field: "until", message: `must be at most ${maxReportDays} days after from` });
  if (fields.length > 0 || !from || !until) throw new ValidationError(fields);
  const figures = await caseFiguresOf(pool, storeId, from, until);
  const satisfaction = await satisfactionRepository.figuresOf(pool, storeId, from, until);
  return { storeId, from: from.toISOString(), until: until.toISOString(), ...figures, ...satisfaction };
}
