import type pg from "pg";
import { ValidationError, type FieldError } from "@oms/errors";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import type { Replacement } from "../../domain/replacements.ts";
import { nextReplacementPageToken, replacementPageOf } from "./clerk-list-pages.ts";

/**
 * The store's exchange replacements still to ship, reserved or awaiting stock, the oldest acceptance first (ADR 030),
 * a page at a time (`nextPageToken` continues it, "" on the last page).
 */
export async function listReplacements(
  pool: pg.Pool,
  request: { storeId: string; limit: number; pageSize: number; pageToken: string },
): Promise<{ listed: Replacement[]; nextPageToken: string }> {
  const storeId = request.storeId.trim();
  const fields: FieldError[] = [];
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  const page = replacementPageOf(request, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  // One more than the page: whether a next page exists, without a count.
  const read = await replacementRepository.listToShip(pool, storeId, { size: page.size + 1, after: page.after });
  const listed = read.slice(0, page.size);
  return { listed, nextPageToken: nextReplacementPageToken(listed.at(-1)?.position, read.length > page.size) };
}
