import type { archiveApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { addYears, isDue, rolesThatKeepRetention } from "../../domain/retention.ts";
import { staffIn } from "../../domain/access.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { dossierPageOf, nextDossierPageToken } from "./retention-pages.ts";
import { retentionStatusView } from "./retention-views.ts";

/**
 * A page of a store's ended dossiers, the soonest due first, with retain_until and their
 * holds; with due_only, only those an auditor may dispose of now. The store's dossiers not yet
 * ended have no retain_until and are not listed. `limit` is the page size's older name.
 */
export async function listRetention(deps: RetentionDeps, request: archiveApi.ListRetentionRequest): Promise<archiveApi.RetentionList> {
  staffIn(request.caller, rolesThatKeepRetention, "read the archive's retention");
  const fields: FieldError[] = [];
  if (!request.storeId.trim()) fields.push({ field: "storeId", message: "is required" });
  const page = dossierPageOf({ pageSize: request.pageSize, limit: request.limit, pageToken: request.pageToken }, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  const now = deps.clock();
  // The cut-off narrows the scan; the domain's rule decides (a 29 February start and the like).
  const startedBy = request.dueOnly ? addYears(now, -deps.retentionYears) : undefined;
  // One more than the page tells whether another follows.
  const read = await retentionRepository.listEnded(deps.pool, request.storeId, { page: { size: page.size + 1, after: page.after }, ...(startedBy ? { startedBy } : {}) });
  const listed = read.slice(0, page.size);
  // The token continues after the last dossier read, even one the rule then left out, so none is read twice.
  const nextPageToken = nextDossierPageToken(listed.at(-1)?.position, read.length > page.size);
  const dossiers = request.dueOnly ? listed.filter((dossier) => isDue(dossier, deps.retentionYears, now)) : listed;
  const holds = await retentionRepository.holdsOf(deps.pool, dossiers.map((dossier) => dossier.orderId));
  return {
    storeId: request.storeId,
    retentionYears: deps.retentionYears,
    dossiers: dossiers.map((dossier) => retentionStatusView(dossier, holds.get(dossier.orderId) ?? [], deps.retentionYears, now)),
    nextPageToken,
  };
}
