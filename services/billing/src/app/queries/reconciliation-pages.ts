/**
 * Paging a store's reconciliations (ADR 023, twenty-eighth session's addendum), the way finance's
 * carrier recoveries are paged (carrier-recoveries/recovery-pages.ts): keyset on the list's own
 * order — newest period first, the latest run of a period first, the run id breaking a tie — so
 * a run completed while the list is being read neither repeats nor skips a row already listed.
 * The token is opaque to callers; one this code did not give is refused naming `pageToken`.
 */
import type { FieldError } from "@oms/errors";

/** A page when the caller names no size (a caller built before paging asks 0), and the most one holds. */
export const defaultReconciliationPageSize = 100;
export const maxReconciliationPageSize = 400;

/**
 * Where a page ended: the last run's period start and completion in microseconds since the epoch
 * (a Date keeps only milliseconds; completion times carry microseconds) as decimal text, and its id.
 */
export interface ReconciliationPosition {
  periodFromMicros: string;
  completedAtMicros: string;
  reconciliationId: string;
}

/** The micros Postgres rebuilds a time from exactly (epoch plus a double times an interval): 1685 to 2255. */
const maxExactMicros = 2n ** 53n;
/** Reconciliation ids are billing's uuids; a token naming a longer one is not one this list gave. */
const reconciliationIdMax = 200;

/** The page asked: its size and where it starts; problems go to `errors`, naming the field. */
export function reconciliationPageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: ReconciliationPosition | undefined } {
  const asked = request.pageSize;
  const sizeOk = Number.isInteger(asked) && asked >= 0 && asked <= maxReconciliationPageSize;
  if (!sizeOk) errors.push({ field: "pageSize", message: `must be 1 to ${maxReconciliationPageSize} (0: ${defaultReconciliationPageSize})` });
  return { size: (sizeOk ? asked : 0) || defaultReconciliationPageSize, after: positionOfToken(request.pageToken, errors) };
}

const exactMicros = (value: unknown): value is string => typeof value === "string" && /^-?\d{1,19}$/.test(value) && BigInt(value) <= maxExactMicros && BigInt(value) >= -maxExactMicros;

function positionOfToken(token: string, errors: FieldError[]): ReconciliationPosition | undefined {
  if (token === "") return undefined;
  try {
    const [periodFromMicros, completedAtMicros, reconciliationId] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (exactMicros(periodFromMicros) && exactMicros(completedAtMicros) && typeof reconciliationId === "string" && reconciliationId.length > 0 && reconciliationId.length <= reconciliationIdMax) {
      return { periodFromMicros, completedAtMicros, reconciliationId };
    }
  } catch {
    // Not base64url JSON: refused below like any other token this list did not give.
  }
  errors.push({ field: "pageToken", message: "is not a page token this list gave" });
  return undefined;
}

/** The token continuing after `last`, when the extra row read shows there is more; "" when not. */
export function nextReconciliationPageToken(last: ReconciliationPosition | undefined, more: boolean): string {
  return more && last ? Buffer.from(JSON.stringify([last.periodFromMicros, last.completedAtMicros, last.reconciliationId])).toString("base64url") : "";
}
