import type { archiveApi } from "@oms/contracts";
import type { Viewing } from "../../adapters/pg/access-repository.ts";
import type { AccessRequest } from "../../domain/access.ts";

/** An access request as the contract carries it: times as ISO strings, absent ones empty. */
export function accessRequestView(request: AccessRequest): archiveApi.AccessRequest {
  return {
    requestId: request.requestId,
    orderId: request.orderId,
    status: request.status,
    requestedBy: request.requestedBy,
    requesterRole: request.requesterRole,
    reason: request.reason,
    requestedAt: request.requestedAt.toISOString(),
    decidedBy: request.decidedBy ?? "",
    decidedAt: request.decidedAt?.toISOString() ?? "",
    note: request.note ?? "",
    validUntil: request.validUntil?.toISOString() ?? "",
  };
}

export function viewingView(viewing: Viewing): archiveApi.Viewing {
  return {
    viewingId: viewing.viewingId,
    requestId: viewing.requestId,
    viewer: viewing.viewer,
    viewedAt: viewing.viewedAt.toISOString(),
    records: viewing.records,
  };
}
