import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import { declarationPageOf, nextDeclarationPageToken } from "./declaration-pages.ts";
import { viewsOf } from "./declaration-view.ts";

/**
 * A store's declarations, newest first: those still declared, or all, a page at a time
 * (`nextPageToken` continues it, "" on the last page); or the one an id names.
 */
export async function listForceMajeure(pool: pg.Pool, request: fulfillmentApi.ListForceMajeureRequest): Promise<fulfillmentApi.ListForceMajeureResponse> {
  const fields: FieldError[] = [];
  if (request.eventId.trim()) {
    if (request.pageSize) fields.push({ field: "pageSize", message: "pages a store's list only, not one declaration" });
    if (request.pageToken) fields.push({ field: "pageToken", message: "pages a store's list only, not one declaration" });
    if (fields.length > 0) throw new ValidationError(fields);
    const declaration = await forceMajeureRepository.find(pool, request.eventId);
    return { events: declaration ? await viewsOf(pool, [declaration]) : [], nextPageToken: "" };
  }
  if (!request.storeId.trim()) fields.push({ field: "storeId", message: "is required (or eventId)" });
  const page = declarationPageOf({ pageSize: request.pageSize ?? 0, pageToken: request.pageToken ?? "" }, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  // One more than the page: whether another follows, without a count.
  const read = await forceMajeureRepository.listOfStore(pool, request.storeId, request.includeLifted, { size: page.size + 1, after: page.after });
  const declarations = read.slice(0, page.size);
  return { events: await viewsOf(pool, declarations), nextPageToken: nextDeclarationPageToken(declarations.at(-1)?.position, read.length > page.size) };
}
