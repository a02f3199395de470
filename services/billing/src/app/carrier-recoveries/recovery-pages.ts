/**
 * Paging finance's list of carrier recoveries (ADR 017, twenty-fifth session's addendum): keyset
 * on the recovery's due-by time and case id — the order finance chases in, and one that a
 * recovery recorded or paid while the list is being read neither repeats nor skips a row on.
 * The token is opaque to callers; one this code did not give is refused naming `pageToken`.
 */
import type { FieldError } from "@oms/errors";

/** A page when the caller names no size, and the most one holds (each recovery carries its receipts). */
export const defaultRecoveryPageSize = 100;
export const maxRecoveryPageSize = 500;

/**
 * Where a page ended: the last recovery's due-by time in microseconds since the epoch (a Date
 * keeps only milliseconds; due-by times carry microseconds) as decimal text, and its case id.
 */
export interface RecoveryPosition {
  dueByMicros: string;
  caseId: string;
}

/** The micros Postgres rebuilds a time from exactly (epoch plus a double times an interval): 1685 to 2255. */
const maxExactMicros = 2n ** 53n;
/** Case ids are after-sales' (uuids); a token naming a longer one is not one this list gave. */
const caseIdMax = 200;

/**
 * The page asked: its size and where it starts. `limit` is the size's name before paging, kept
 * for callers built then; both given is refused, naming `limit`. Problems go to `errors`.
 */
export function recoveryPageOf(request: { pageSize: number; limit: number; pageToken: string }, errors: FieldError[]): { size: number; after: RecoveryPosition | undefined } {
  const sizeIn = (asked: number, field: string) => {
    if (Number.isInteger(asked) && asked >= 0 && asked <= maxRecoveryPageSize) return true;
    errors.push({ field, message: `must be 1 to ${maxRecoveryPageSize} (0: ${defaultRecoveryPageSize})` });
    return false;
  };
  const pageSizeOk = sizeIn(request.pageSize, "pageSize");
  const limitOk = sizeIn(request.limit, "limit");
  if (pageSizeOk && limitOk && request.pageSize > 0 && request.limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
  const size = (pageSizeOk ? request.pageSize : 0) || (limitOk ? request.limit : 0) || defaultRecoveryPageSize;
  return { size, after: positionOfToken(request.pageToken, errors) };
}

function positionOfToken(token: string, errors: FieldError[]): RecoveryPosition | undefined {
  if (token === "") return undefined;
  try {
    const [dueByMicros, caseId] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof dueByMicros === "string" && /^-?\d{1,19}$/.test(dueByMicros) && typeof caseId === "string" && caseId.length > 0 && caseId.length <= caseIdMax) {
      const micros = BigInt(dueByMicros);
      if (micros <= maxExactMicros && micros >= -maxExactMicros) return { dueByMicros, caseId };
    }
  } catch {
    // Not base64url JSON: refused below like any other token this list did not give.
  }
  errors.push({ field: "pageToken", message: "is not a page token this list gave" });
  return undefined;
}

/** The token continuing after `last`, when the extra row read shows there is more; "" when not. */
export function nextRecoveryPageToken(last: RecoveryPosition | undefined, more: boolean): string {
  return more && last ? Buffer.from(JSON.stringify([last.dueByMicros, last.caseId])).toString("base64url") : "";
}
