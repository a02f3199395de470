/**
 * Paging a store's settlement disputes (ADR 026, twenty-eighth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on the list's own order: the oldest opening first, the dispute id breaking
 * a tie.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

const disputes = keysetList(
  [
    ["openedAtMicros", "micros"],
    ["disputeId", "id"],
  ],
  // Each dispute carries its findings and statement.
  { defaultSize: 200, maxSize: 500 },
);

export const defaultDisputePageSize = disputes.defaultSize;
export const maxDisputePageSize = disputes.maxSize;

/** Where a page ended: the last dispute's opening in microseconds since the epoch and its id. */
export type DisputePosition = Position<"openedAtMicros" | "disputeId">;

export function disputePageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: DisputePosition | undefined } {
  return disputes.pageOf(request, errors);
}

export const nextDisputePageToken = disputes.tokenAfter;
