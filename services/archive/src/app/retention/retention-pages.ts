/**
 * Paging auditors' retention lists (ADR 029, twenty-ninth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts), each on its own order: a store's ended dossiers the soonest
 * due first (last entry, then order id), its disposal records newest first (disposal time
 * descending, then disposal id). Both once cut at the caller's `limit` without saying so.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type KeysetList, type Position } from "@oms/postgres";

// The sizes `limit` had: 100 when unasked, at most 500. A dossier carries its holds.
const sizes = { defaultSize: 100, maxSize: 500 };

const dossiers = keysetList(
  [
    ["lastEventAtMicros", "micros"],
    ["orderId", "id"],
  ],
  sizes,
);

const disposals = keysetList(
  [
    ["disposedAtMicros", "micros"],
    ["disposalId", "id"],
  ],
  sizes,
);

export const defaultRetentionPageSize = sizes.defaultSize;
export const maxRetentionPageSize = sizes.maxSize;

/** Where a page of the retention list ended: the last dossier's last entry in microseconds since the epoch, and its order id. */
export type DossierPosition = Position<"lastEventAtMicros" | "orderId">;
/** Where a page of disposal records ended: the last record's disposal in microseconds since the epoch, and its id. */
export type DisposalPosition = Position<"disposedAtMicros" | "disposalId">;

/** What a caller asks of either list: `limit` is the page size's name before paging, kept for callers built then. */
export interface PageAsked {
  pageSize: number;
  limit: number;
  pageToken: string;
}

/** The page asked: its size and where it starts; `pageSize` and `limit` both given is refused naming `limit`. Problems go to `errors`. */
function pageOf<Name extends string>(list: KeysetList<Name>, request: PageAsked, errors: FieldError[]): { size: number; after: Position<Name> | undefined } {
  const pageSizeOk = list.sizeIsValid(request.pageSize, "pageSize", errors);
  const limitOk = list.sizeIsValid(request.limit, "limit", errors);
  if (pageSizeOk && limitOk && request.pageSize > 0 && request.limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
  const size = (pageSizeOk ? request.pageSize : 0) || (limitOk ? request.limit : 0) || list.defaultSize;
  return { size, after: list.positionOfToken(request.pageToken, errors) };
}

export const dossierPageOf = (request: PageAsked, errors: FieldError[]) => pageOf(dossiers, request, errors);
export const nextDossierPageToken = dossiers.tokenAfter;

export const disposalPageOf = (request: PageAsked, errors: FieldError[]) => pageOf(disposals, request, errors);
export const nextDisposalPageToken = disposals.tokenAfter;
