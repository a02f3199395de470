import type { archiveApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type pg from "pg";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { isDue, openMattersOf, retainUntil, type DisposalRecord, type HoldRecord, type RetainedDossier } from "../../domain/retention.ts";

const iso = (at: Date | undefined) => at?.toISOString() ?? "";

/** A dossier's retention as the contract carries it: times as ISO strings, absent ones empty. */
export function retentionStatusView(dossier: RetainedDossier, holds: readonly HoldRecord[], years: number, now: Date): archiveApi.RetentionStatus {
  return {
    orderId: dossier.orderId,
    storeId: dossier.storeId,
    firstEventAt: iso(dossier.firstEventAt),
    lastEventAt: iso(dossier.lastEventAt),
    entryCount: dossier.entryCount,
    endedAt: iso(dossier.endedAt),
    retainUntil: iso(retainUntil(dossier, years)),
    held: dossier.held,
    due: isDue(dossier, years, now),
    holds: holds.map((hold) => ({ action: hold.action, matter: hold.matter, by: hold.actor, role: hold.actorRole, reason: hold.reason, at: iso(hold.at), correlationId: hold.correlationId })),
    openMatters: openMattersOf(holds),
  };
}

export function disposalView(record: DisposalRecord): archiveApi.Disposal {
  return {
    disposalId: record.disposalId,
    orderId: record.orderId,
    storeId: record.storeId,
    firstEventAt: iso(record.firstEventAt),
    lastEventAt: iso(record.lastEventAt),
    endedAt: iso(record.endedAt),
    retainUntil: iso(record.retainUntil),
    entryCount: record.entryCount,
    digest: record.digest,
    decidedBy: record.decidedBy,
    deciderRole: record.deciderRole,
    reason: record.reason,
    disposedAt: iso(record.disposedAt),
    correlationId: record.correlationId,
  };
}

/** The refusal for a dossier that is not there: disposed of (naming the disposal), or never filed. */
export function disposedOrUnknown(record: DisposalRecord | undefined, orderId: string): NotFoundError {
  if (!record) return new NotFoundError("dossier.not-found", `no dossier for order ${orderId}`);
  return new NotFoundError(
    "dossier.disposed",
    `the dossier of order ${orderId} was disposed of at ${iso(record.disposedAt)} by ${record.decidedBy} (disposal ${record.disposalId}, ${record.entryCount} entries, ${record.digest})`,
  );
}

/** Throws why an order has no dossier to read: gone by a disposal, or never filed. */
export async function refuseMissingDossier(db: pg.Pool | pg.ClientBase, orderId: string): Promise<never> {
  throw disposedOrUnknown(await retentionRepository.latestDisposalOf(db, orderId), orderId);
}
