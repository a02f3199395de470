/**
 * Paging the after-sales case lists (ADR 017, twenty-ninth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on each list's own order: the newest opening first, or — the
 * late replacements' worklist — the earliest due first; the case id breaks a tie either way.
 * The token names the order it was given in, so one continued in the other order is refused,
 * not read as a position it never was.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";
import { pageSizeOrLimit } from "./page-size-or-limit.ts";

/** The two orders a case list is read in (the late replacements' is chosen by replacementLate). */
export type CaseListOrder = "newest-first" | "earliest-due-first";

const cases = keysetList(
  [
    ["order", "id"],
    ["atMicros", "micros"],
    ["caseId", "id"],
  ],
  // Each case carries its lines, visit rounds and opened words.
  { defaultSize: 100, maxSize: 500 },
);

export const defaultCasePageSize = cases.defaultSize;
export const maxCasePageSize = cases.maxSize;

/**
 * Where a page ended: the last case's sort time (opened, or its replacement due) in
 * microseconds since the epoch and its id.
 */
export type CasePosition = Position<"atMicros" | "caseId">;

/** The page asked in `order`: its size and where it starts; problems go to `errors`, naming the field. */
export function casePageOf(
  request: { pageSize: number; limit: number; pageToken: string },
  order: CaseListOrder,
  errors: FieldError[],
): { size: number; after: CasePosition | undefined } {
  const size = pageSizeOrLimit(cases, request, errors);
  const token = cases.positionOfToken(request.pageToken, errors);
  if (!token) return { size, after: undefined };
  if (token.order !== order) {
    errors.push({ field: "pageToken", message: `continues a list read in another order, not this one (${order}): start again without it` });
    return { size, after: undefined };
  }
  return { size, after: { atMicros: token.atMicros, caseId: token.caseId } };
}

/** The token continuing after `last` in `order`, when the extra case read shows there is more; "" when not. */
export function nextCasePageToken(order: CaseListOrder, last: CasePosition | undefined, more: boolean): string {
  return cases.tokenAfter(last && { order, ...last }, more);
}
