import type pg from "pg";
import { ValidationError, type FieldError } from "@oms/errors";
import { returnRepository } from "../../adapters/pg/return-repository.ts";
import type { ExpectedReturn } from "../../domain/returns.ts";
import { nextExpectedReturnPageToken, expectedReturnPageOf } from "./clerk-list-pages.ts";

/** The store's receiving list of returned goods: returns and exchanges not yet all back, the longest expected first, a page at a time (`nextPageToken` continues it, "" on the last page). */
export async function listExpectedReturns(
  pool: pg.Pool,
  request: { storeId: string; limit: number; pageSize: number; pageToken: string },
): Promise<{ listed: ExpectedReturn[]; nextPageToken: string }> {
  const storeId = request.storeId.trim();
  const fields: FieldError[] = [];
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  const page = expectedReturnPageOf(request, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  // One more than the page: whether a next page exists, without a count.
  const read = await returnRepository.listOpen(pool, storeId, { size: page.size + 1, after: page.after });
  const listed = read.slice(0, page.size);
  return { listed, nextPageToken: nextExpectedReturnPageToken(listed.at(-1)?.position, read.length > page.size) };
}
