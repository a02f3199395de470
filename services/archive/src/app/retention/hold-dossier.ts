import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { staffIn } from "../../domain/access.ts";
import { changeHold, isRepeatOfLastHoldStep, matterOf, openMattersOf, reasonOf, rolesThatKeepRetention, type HoldRecord } from "../../domain/retention.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { refuseMissingDossier, retentionStatusView } from "./retention-views.ts";

/**
 * An auditor puts a dossier on legal hold for a matter, or lifts one matter's hold, with a
 * reason, on the locked row: a disposal of the same dossier waits, then finds it held. The
 * matters holding it are read from the append-only record under that lock.
 */
export async function changeDossierHold(deps: RetentionDeps, action: HoldRecord["action"], request: archiveApi.HoldDossierRequest): Promise<archiveApi.RetentionStatus> {
  // Who and what first: a caller who may not hold learns nothing of which dossiers exist.
  staffIn(request.caller, rolesThatKeepRetention, action === "hold" ? "put a dossier on legal hold" : "release a dossier's legal hold");
  const orderId = request.orderId.trim();
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  reasonOf(request.reason, action === "hold" ? "held" : "released");
  matterOf(request.matter);
  return withTransaction(deps.pool, async (tx) => {
    const dossier = await retentionRepository.lock(tx, orderId);
    if (!dossier) return refuseMissingDossier(tx, orderId);
    const now = deps.clock();
    const before = (await retentionRepository.holdsOf(tx, [orderId])).get(orderId) ?? [];
    const command = { caller: request.caller, matter: request.matter, reason: request.reason, now, correlationId: request.correlationId };
    if (isRepeatOfLastHoldStep(before, action, command)) return retentionStatusView(dossier, before, deps.retentionYears, now);
    const record = changeHold(dossier, openMattersOf(before), action, command);
    const holds = [...before, record];
    const stillHeld = openMattersOf(holds).length > 0;
    await retentionRepository.recordHold(tx, record, stillHeld);
    return retentionStatusView({ ...dossier, held: stillHeld }, holds, deps.retentionYears, now);
  });
}
