import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { staffIn } from "../../domain/access.ts";
import { rolesThatKeepRetention } from "../../domain/retention.ts";
import { listLimitOf } from "./list-retention.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { disposalView } from "./retention-views.ts";

/** A store's disposal records, newest first: what was destroyed, its digest, who decided, when, why. */
export async function listDisposals(deps: RetentionDeps, request: archiveApi.ListDisposalsRequest): Promise<archiveApi.DisposalList> {
  staffIn(request.caller, rolesThatKeepRetention, "read the archive's disposals");
  if (!request.storeId.trim()) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const records = await retentionRepository.disposalsOfStore(deps.pool, request.storeId, listLimitOf(request.limit));
  return { storeId: request.storeId, disposals: records.map(disposalView) };
}
