import type { archiveApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { retentionRepository } from "../../adapters/pg/retention-repository.ts";
import { rolesThatDecide, staffIn } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { accessRequestView, viewingView } from "./access-views.ts";

/** Who asked to view an order's dossier, who decided, and every viewing: for store managers and auditors. */
export async function listAccess(deps: AccessDeps, request: archiveApi.ListAccessRequest): Promise<archiveApi.AccessHistory> {
  staffIn(request.caller, rolesThatDecide, "read who viewed a dossier");
  if (!request.orderId.trim()) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  // The access log outlives a disposal (ADR 029): who looked at a dossier since destroyed is still answered for.
  const known = (await dossierRepository.findSummary(deps.pool, request.orderId)) ?? (await retentionRepository.latestDisposalOf(deps.pool, request.orderId));
  if (!known) throw new NotFoundError("dossier.not-found", `no dossier for order ${request.orderId}`);
  const [requests, viewings] = await Promise.all([accessRepository.listForOrder(deps.pool, request.orderId), accessRepository.viewingsOfOrder(deps.pool, request.orderId)]);
  return { orderId: request.orderId, requests: requests.map(accessRequestView), viewings: viewings.map(viewingView) };
}
