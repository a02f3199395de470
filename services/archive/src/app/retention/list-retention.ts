import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { addYears, isDue, rolesThatKeepRetention } from "../../domain/retention.ts";
import { staffIn } from "../../domain/access.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { retentionStatusView } from "./retention-views.ts";

export const defaultListLimit = 100;
export const maxListLimit = 500;

/** The limit a list asks for, 0 meaning the default; refused outside 1 to 500. */
export function listLimitOf(limit: number): number {
  if (limit === 0) return defaultListLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) throw new ValidationError([{ field: "limit", message: `must be a whole number from 1 to ${maxListLimit}` }]);
  return limit;
}

/**
 * A store's ended dossiers, the soonest due first, with retain_until and their holds; with
 * due_only, only those an auditor may dispose of now. The store's dossiers not yet ended have
 * no retain_until and are not listed.
 */
export async function listRetention(deps: RetentionDeps, request: archiveApi.ListRetentionRequest): Promise<archiveApi.RetentionList> {
  staffIn(request.caller, rolesThatKeepRetention, "read the archive's retention");
  if (!request.storeId.trim()) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const limit = listLimitOf(request.limit);
  const now = deps.clock();
  // The cut-off narrows the scan; the domain's rule decides (a 29 February start and the like).
  const startedBy = request.dueOnly ? addYears(now, -deps.retentionYears) : undefined;
  const listed = await retentionRepository.listEnded(deps.pool, request.storeId, { limit, ...(startedBy ? { startedBy } : {}) });
  const dossiers = request.dueOnly ? listed.filter((dossier) => isDue(dossier, deps.retentionYears, now)) : listed;
  const holds = await retentionRepository.holdsOf(deps.pool, dossiers.map((dossier) => dossier.orderId));
  return {
    storeId: request.storeId,
    retentionYears: deps.retentionYears,
    dossiers: dossiers.map((dossier) => retentionStatusView(dossier, holds.get(dossier.orderId) ?? [], deps.retentionYears, now)),
  };
}
