import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { accessRequestNotFound } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { accessRequestView } from "./access-views.ts";

/** One access request as it stands: the gateway learns which order it is for, to hold a store-scoped decider to their own stores. */
export async function getAccessRequest(deps: AccessDeps, request: archiveApi.GetAccessRequestRequest): Promise<archiveApi.AccessRequest> {
  if (!request.requestId.trim()) throw new ValidationError([{ field: "requestId", message: "is required" }]);
  const found = await accessRepository.findById(deps.pool, request.requestId);
  if (!found) throw accessRequestNotFound(request.requestId);
  return accessRequestView(found);
}
