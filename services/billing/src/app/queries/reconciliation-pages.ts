/**
 * Paging a store's reconciliations (ADR 023, twenty-eighth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on the list's own order: newest period first, the latest run of a period
 * first, the run id breaking a tie.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

const reconciliations = keysetList(
  [
    ["periodFromMicros", "micros"],
    ["completedAtMicros", "micros"],
    ["reconciliationId", "id"],
  ],
  { defaultSize: 100, maxSize: 400 },
);

/** A page when the caller names no size (a caller built before paging asks 0), and the most one holds. */
export const defaultReconciliationPageSize = reconciliations.defaultSize;
export const maxReconciliationPageSize = reconciliations.maxSize;

/** Where a page ended: the last run's period start and completion in microseconds, and its id. */
export type ReconciliationPosition = Position<"periodFromMicros" | "completedAtMicros" | "reconciliationId">;

export function reconciliationPageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: ReconciliationPosition | undefined } {
  return reconciliations.pageOf(request, errors);
}

export const nextReconciliationPageToken = reconciliations.tokenAfter;
