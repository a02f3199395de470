import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { accessRequestNotFound, decideOnAccess, rolesThatDecide, staffIn } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { accessRequestView } from "./access-views.ts";

/** A store manager or an auditor approves or refuses a pending request, on the locked row. */
export async function decideAccess(deps: AccessDeps, command: archiveApi.DecideAccessRequest): Promise<archiveApi.AccessRequest> {
  staffIn(command.caller, rolesThatDecide, "decide on access to a dossier");
  // Trimmed as RequestAccess stored it.
  const requestId = command.requestId.trim();
  if (!requestId) throw new ValidationError([{ field: "requestId", message: "is required" }]);
  return withTransaction(deps.pool, async (tx) => {
    const request = await accessRepository.lockById(tx, requestId);
    if (!request) throw accessRequestNotFound(requestId);
    const decided = decideOnAccess(request, { caller: command.caller, approve: command.approve, note: command.note, now: deps.clock(), validForMs: deps.approvalValidForMs });
    await accessRepository.saveDecision(tx, decided);
    return accessRequestView(decided);
  });
}
