/**
 * Paging the catalogue's trail (ADR 028, twenty-ninth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on its own order, newest first: the change id, a bigserial,
 * alone — each change has its own, in the order they were written. Once cut at `limit` unsaid.
 */
import type { FieldError } from "@oms/errors";
import { keysetList } from "@oms/postgres";

// The sizes `limit` had: 100 when unasked, at most 500.
const changes = keysetList([["changeId", "id"]], { defaultSize: 100, maxSize: 500 });

export const defaultCatalogueChangePageSize = changes.defaultSize;
export const maxCatalogueChangePageSize = changes.maxSize;

/** Where a page ended: the last change's id, as decimal text (compared in SQL as a bigint: as text, "9" comes after "10"). */
export interface CatalogueChangePosition {
  changeId: string;
}

const maxBigint = 2n ** 63n - 1n;
const isChangeId = (value: string) => /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= maxBigint;

/**
 * The page asked: its size and where it starts. `limit` is the size's name before paging,
 * kept for callers built then; both given is refused, naming `limit`. A token whose id is
 * not a change id is refused naming `pageToken`, as one this list did not give. Problems go to `errors`.
 */
export function catalogueChangePageOf(
  request: { pageSize: number; limit: number; pageToken: string },
  errors: FieldError[],
): { size: number; after: CatalogueChangePosition | undefined } {
  const pageSizeOk = changes.sizeIsValid(request.pageSize, "pageSize", errors);
  const limitOk = changes.sizeIsValid(request.limit, "limit", errors);
  if (pageSizeOk && limitOk && request.pageSize > 0 && request.limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
  const size = (pageSizeOk ? request.pageSize : 0) || (limitOk ? request.limit : 0) || changes.defaultSize;
  const after = changes.positionOfToken(request.pageToken, errors);
  if (after && !isChangeId(after.changeId)) {
    errors.push({ field: "pageToken", message: "is not a page token this list gave" });
    return { size, after: undefined };
  }
  return { size, after };
}

/** The token continuing after `last`, when the extra row read shows there is more; "" when not. */
export const nextCatalogueChangePageToken = (last: { changeId: number } | undefined, more: boolean): string =>
  changes.tokenAfter(last && { changeId: String(last.changeId) }, more);
