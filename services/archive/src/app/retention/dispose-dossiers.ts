import type { archiveApi } from "@oms/contracts";
import { isDomainError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { staffIn, type AccessCaller } from "../../domain/access.ts";
import { disposalIdsOf, disposalOf, reasonOf, rolesThatKeepRetention } from "../../domain/retention.ts";
import type { RetentionDeps } from "./retention-deps.ts";
import { disposalView } from "./retention-views.ts";

/**
 * An auditor disposes of the dossiers they name (ADR 029). Each is taken in its own
 * transaction, on its locked row, and checked again there: ended, its retention passed, not
 * held. Its record — with a digest of the sealed entries — is written, then exactly those
 * entries and the dossier's row are deleted, all or nothing. Each order is answered on its
 * own: disposed (now, or before: a retry answers as it stands), or refused with the reason.
 * Nothing is written for a refused one. An unexpected failure (the database gone) ends the
 * call; the orders disposed of before it stay disposed of, and a retry answers them so.
 */
export async function disposeDossiers(deps: RetentionDeps, request: archiveApi.DisposeDossiersRequest): Promise<archiveApi.DisposalOutcome> {
  const caller = staffIn(request.caller, rolesThatKeepRetention, "dispose of dossiers");
  const orderIds = disposalIdsOf(request.orderIds);
  const reason = reasonOf(request.reason, "disposed of");
  const results: archiveApi.DisposalResult[] = [];
  for (const orderId of orderIds) results.push(await disposeOne(deps, orderId, caller, reason, request.correlationId));
  return { results };
}

async function disposeOne(deps: RetentionDeps, orderId: string, caller: AccessCaller, reason: string, correlationId: string): Promise<archiveApi.DisposalResult> {
  try {
    return await withTransaction(deps.pool, async (tx) => {
      const dossier = await retentionRepository.lock(tx, orderId);
      if (!dossier) {
        const earlier = await retentionRepository.latestDisposalOf(tx, orderId);
        if (!earlier) return { orderId, outcome: "refused", code: "dossier.not-found", message: `no dossier for order ${orderId}`, disposal: undefined };
        return {
          orderId,
          outcome: "disposed",
          code: "archive.dossier-already-disposed",
          message: `disposed of before, at ${earlier.disposedAt.toISOString()} by ${earlier.decidedBy}`,
          disposal: disposalView(earlier),
        };
      }
      const entries = await dossierRepository.listSealedEntries(tx, orderId);
      const record = disposalOf(dossier, entries, { disposalId: deps.newId(), caller, reason, now: deps.clock(), correlationId, years: deps.retentionYears });
      await retentionRepository.dispose(tx, record, entries.map((entry) => entry.filingSequence));
      return { orderId, outcome: "disposed", code: "", message: `${record.entryCount} entries deleted`, disposal: disposalView(record) };
    });
  } catch (error) {
    // A refusal of this order (not due, held, not ended) rolled its transaction back; the others go on.
    if (isDomainError(error)) return { orderId, outcome: "refused", code: error.code, message: error.message, disposal: undefined };
    throw error;
  }
}
