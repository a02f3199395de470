/**
 * Paging a store's claims against carriers (ADR 017, twenty-ninth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on the list's own order: the oldest filing first, the case id
 * breaking a tie.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";
import { pageSizeOrLimit } from "./page-size-or-limit.ts";

const claims = keysetList(
  [
    ["filedAtMicros", "micros"],
    ["caseId", "id"],
  ],
  { defaultSize: 100, maxSize: 500 },
);

export const defaultCarrierClaimPageSize = claims.defaultSize;
export const maxCarrierClaimPageSize = claims.maxSize;

/** Where a page ended: the last claim's filing in microseconds since the epoch and its case id. */
export type CarrierClaimPosition = Position<"filedAtMicros" | "caseId">;

/** The page asked: its size and where it starts; problems go to `errors`, naming the field. */
export function carrierClaimPageOf(request: { pageSize: number; limit: number; pageToken: string }, errors: FieldError[]): { size: number; after: CarrierClaimPosition | undefined } {
  return { size: pageSizeOrLimit(claims, request, errors), after: claims.positionOfToken(request.pageToken, errors) };
}

export const nextCarrierClaimPageToken = claims.tokenAfter;
