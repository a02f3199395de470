/**
 * Paging finance's list of carrier recoveries (ADR 017, twenty-fifth session's addendum) by
 * keyset (@oms/postgres keyset-pages.ts) on the recovery's due-by time and case id — the order finance
 * chases in.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

const recoveries = keysetList(
  [
    ["dueByMicros", "micros"],
    ["caseId", "id"],
  ],
  // Each recovery carries its receipts.
  { defaultSize: 100, maxSize: 500 },
);

export const defaultRecoveryPageSize = recoveries.defaultSize;
export const maxRecoveryPageSize = recoveries.maxSize;

/** Where a page ended: the last recovery's due-by time in microseconds since the epoch and its case id. */
export type RecoveryPosition = Position<"dueByMicros" | "caseId">;

/**
 * The page asked: its size and where it starts. `limit` is the size's name before paging, kept
 * for callers built then; both given is refused, naming `limit`. Problems go to `errors`.
 */
export function recoveryPageOf(request: { pageSize: number; limit: number; pageToken: string }, errors: FieldError[]): { size: number; after: RecoveryPosition | undefined } {
  const pageSizeOk = recoveries.sizeIsValid(request.pageSize, "pageSize", errors);
  const limitOk = recoveries.sizeIsValid(request.limit, "limit", errors);
  if (pageSizeOk && limitOk && request.pageSize > 0 && request.limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
  const size = (pageSizeOk ? request.pageSize : 0) || (limitOk ? request.limit : 0) || recoveries.defaultSize;
  return { size, after: recoveries.positionOfToken(request.pageToken, errors) };
}

export const nextRecoveryPageToken = recoveries.tokenAfter;
