import type { archiveApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { askForAccess } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { accessRequestView } from "./access-views.ts";

/** A member of staff asks to view an order's dossier; the request waits for a decision. */
export async function requestAccess(deps: AccessDeps, request: archiveApi.RequestAccessRequest): Promise<archiveApi.AccessRequest> {
  // Checked before the dossier is looked up: who may not ask learns nothing of which orders exist.
  const asked = askForAccess({ requestId: deps.newId(), orderId: request.orderId, caller: request.caller, reason: request.reason, now: deps.clock() });
  return withTransaction(deps.pool, async (tx) => {
    if (!(await dossierRepository.findSummary(tx, asked.orderId))) throw new NotFoundError("dossier.not-found", `no dossier for order ${asked.orderId}`);
    await accessRepository.insert(tx, asked);
    return accessRequestView(asked);
  });
}
