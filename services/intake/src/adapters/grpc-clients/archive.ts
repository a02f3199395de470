import { archiveApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** An access request as its asker makes it. */
export interface AccessAsk {
  /** The asker's own id of the request: a retry under it answers the request already made (ADR 015). */
  requestId: string;
  reason: string;
}

/** A decision on an access request; refusing needs a note (the archive's rule). */
export interface AccessDecision {
  approve: boolean;
  note: string;
}

/** A page of the archive's retention lists (0 and "": the default size, the first page); `limit` is pageSize's older name. */
export interface ArchivePage {
  pageSize: number;
  limit: number;
  pageToken: string;
}

/**
 * What intake asks the archive, the keeper of every order's sealed dossier, on behalf of a
 * caller: to see what a dossier holds, under a request someone else approved, each viewing logged.
 */
export interface ArchiveDossiers {
  requestAccess(orderId: string, caller: Actor, ask: AccessAsk, correlationId: string): Promise<archiveApi.AccessRequest>;
  decideAccess(requestId: string, caller: Actor, decision: AccessDecision, correlationId: string): Promise<archiveApi.AccessRequest>;
  viewDossier(orderId: string, requestId: string, caller: Actor, correlationId: string): Promise<archiveApi.DossierView>;
  listAccess(orderId: string, caller: Actor, correlationId: string): Promise<archiveApi.AccessHistory>;
  /** Which order a request is for (the gateway's store scope check); NOT_FOUND when unknown. */
  getAccessRequest(requestId: string, correlationId: string): Promise<archiveApi.AccessRequest>;
  /** Retention (ADR 029): a page of a store's ended dossiers with retain_until and holds; only those due when `dueOnly`. */
  listRetention(storeId: string, caller: Actor, query: { dueOnly: boolean } & ArchivePage, correlationId: string): Promise<archiveApi.RetentionList>;
  /** Puts an order's dossier on legal hold, or releases it, with a reason. */
  /** Puts a dossier on hold for a matter ("" names none), or lifts that matter's hold. */
  changeHold(action: "hold" | "release", orderId: string, caller: Actor, hold: { matter: string; reason: string }, correlationId: string): Promise<archiveApi.RetentionStatus>;
  /** Disposes of the named due dossiers, answering each order. */
  disposeDossiers(orderIds: readonly string[], caller: Actor, reason: string, correlationId: string): Promise<archiveApi.DisposalOutcome>;
  /** A page of a store's disposal records, newest first. */
  listDisposals(storeId: string, caller: Actor, page: ArchivePage, correlationId: string): Promise<archiveApi.DisposalList>;
  close(): void;
}

const callerOf = (caller: Actor): archiveApi.Caller => ({ kind: caller.kind, id: caller.id, role: caller.role });

/** The archive's ArchiveAccess and ArchiveRetention over gRPC (proto/oms/archive/v1/archive_service.proto). */
export function archiveDossiersAt(peer: GrpcTarget, deadlineMs = 3_000): ArchiveDossiers {
  const access = createClient(archiveApi.ArchiveAccessService, "oms.archive.v1.ArchiveAccess", peer);
  const retention = createClient(archiveApi.ArchiveRetentionService, "oms.archive.v1.ArchiveRetention", peer);
  // A disposal of 500 dossiers is 500 transactions, each reading and deleting its entries: more than a read's deadline.
  const disposalDeadlineMs = Math.max(deadlineMs, 60_000);
  return {
    requestAccess: (orderId, caller, { requestId, reason }, correlationId) =>
      access.requestAccess({ requestId, orderId, caller: callerOf(caller), reason, correlationId }, { correlationId, deadlineMs }),
    decideAccess: (requestId, caller, { approve, note }, correlationId) =>
      access.decideAccess({ requestId, caller: callerOf(caller), approve, note, correlationId }, { correlationId, deadlineMs }),
    viewDossier: (orderId, requestId, caller, correlationId) =>
      access.viewDossier({ orderId, requestId, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    // ListAccess carries no correlation id field (it writes nothing): the id travels in the metadata.
    listAccess: (orderId, caller, correlationId) => access.listAccess({ orderId, caller: callerOf(caller) }, { correlationId, deadlineMs }),
    getAccessRequest: (requestId, correlationId) => access.getAccessRequest({ requestId }, { correlationId, deadlineMs }),
    listRetention: (storeId, caller, { dueOnly, ...page }, correlationId) => retention.listRetention({ storeId, caller: callerOf(caller), dueOnly, ...page }, { correlationId, deadlineMs }),
    changeHold: (action, orderId, caller, { matter, reason }, correlationId) => {
      const request = { orderId, caller: callerOf(caller), matter, reason, correlationId };
      return action === "hold" ? retention.holdDossier(request, { correlationId, deadlineMs }) : retention.releaseHold(request, { correlationId, deadlineMs });
    },
    disposeDossiers: (orderIds, caller, reason, correlationId) =>
      retention.disposeDossiers({ orderIds: [...orderIds], caller: callerOf(caller), reason, correlationId }, { correlationId, deadlineMs: disposalDeadlineMs }),
    listDisposals: (storeId, caller, page, correlationId) => retention.listDisposals({ storeId, caller: callerOf(caller), ...page }, { correlationId, deadlineMs }),
    close: () => {
      access.close();
      retention.close();
    },
  };
}
