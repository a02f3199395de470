import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { staffIn } from "../../domain/access.ts";
import { changeHold, reasonOf, rolesThatKeepRetention, type HoldRecord } from "../../domain/retention.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { refuseMissingDossier, retentionStatusView } from "./retention-views.ts";

/**
 * An auditor puts a dossier on legal hold, or releases it, with a reason, on the locked row:
 * a disposal of the same dossier waits, then finds it held. The record of it is append-only.
 */
export async function changeDossierHold(deps: RetentionDeps, action: HoldRecord["action"], request: archiveApi.HoldDossierRequest): Promise<archiveApi.RetentionStatus> {
  // Who and what first: a caller who may not hold learns nothing of which dossiers exist.
  staffIn(request.caller, rolesThatKeepRetention, action === "hold" ? "put a dossier on legal hold" : "release a dossier's legal hold");
  const orderId = request.orderId.trim();
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  reasonOf(request.reason, action === "hold" ? "held" : "released");
  return withTransaction(deps.pool, async (tx) => {
    const dossier = await retentionRepository.lock(tx, orderId);
    if (!dossier) return refuseMissingDossier(tx, orderId);
    const now = deps.clock();
    const record = changeHold(dossier, action, { caller: request.caller, reason: request.reason, now, correlationId: request.correlationId });
    await retentionRepository.recordHold(tx, record);
    const holds = await retentionRepository.holdsOf(tx, [orderId]);
    return retentionStatusView({ ...dossier, held: action === "hold" }, holds.get(orderId) ?? [], deps.retentionYears, now);
  });
}
