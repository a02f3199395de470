import type { archiveApi } from "@oms/contracts";
import { withTransaction } from "@oms/postgres";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { askForAccess, isRepeatOfRequest } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { accessRequestView } from "./access-views.ts";
import { refuseMissingDossier } from "../retention/retention-views.ts";

/**
 * A member of staff asks to view an order's dossier, under their own id for the request;
 * it waits for a decision. A retry under that id answers the request as it now stands.
 */
export async function requestAccess(deps: AccessDeps, request: archiveApi.RequestAccessRequest): Promise<archiveApi.AccessRequest> {
  // Checked before the dossier is looked up: who may not ask learns nothing of which orders exist.
  const asked = askForAccess({ requestId: request.requestId, orderId: request.orderId, caller: request.caller, reason: request.reason, now: deps.clock() });
  return withTransaction(deps.pool, async (tx) => {
    // Nothing to view in a dossier disposed of (ADR 029): refused naming the disposal.
    if (!(await dossierRepository.findSummary(tx, asked.orderId))) return refuseMissingDossier(tx, asked.orderId);
    // A twin sent at the same moment waits on the id's index, then finds the first.
    if (await accessRepository.insertIfNew(tx, asked)) return accessRequestView(asked);
    const stored = await accessRepository.findById(tx, asked.requestId);
    if (!stored) throw new Error(`access request ${asked.requestId} neither inserted nor found`);
    isRepeatOfRequest(asked, stored);
    return accessRequestView(stored);
  });
}
