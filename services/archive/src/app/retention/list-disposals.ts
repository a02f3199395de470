import type { archiveApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { staffIn } from "../../domain/access.ts";
import { rolesThatKeepRetention } from "../../domain/retention.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { disposalPageOf, nextDisposalPageToken } from "./retention-pages.ts";
import { disposalView } from "./retention-views.ts";

/**
 * A page of a store's disposal records, newest first: what was destroyed, its digest, who
 * decided, when, why. `limit` is the page size's older name.
 */
export async function listDisposals(deps: RetentionDeps, request: archiveApi.ListDisposalsRequest): Promise<archiveApi.DisposalList> {
  staffIn(request.caller, rolesThatKeepRetention, "read the archive's disposals");
  const fields: FieldError[] = [];
  if (!request.storeId.trim()) fields.push({ field: "storeId", message: "is required" });
  const page = disposalPageOf({ pageSize: request.pageSize, limit: request.limit, pageToken: request.pageToken }, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  // One more than the page tells whether another follows.
  const read = await retentionRepository.disposalsOfStore(deps.pool, request.storeId, { size: page.size + 1, after: page.after });
  const records = read.slice(0, page.size);
  return { storeId: request.storeId, disposals: records.map(disposalView), nextPageToken: nextDisposalPageToken(records.at(-1)?.position, read.length > page.size) };
}
