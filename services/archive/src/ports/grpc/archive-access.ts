import { archiveApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { AccessDeps } from "../../app/access/access-deps.ts";
import { decideAccess } from "../../app/access/decide-access.ts";
import { getAccessRequest } from "../../app/access/get-access-request.ts";
import { listAccess } from "../../app/access/list-access.ts";
import { requestAccess } from "../../app/access/request-access.ts";
import { viewDossier } from "../../app/access/view-dossier.ts";

/** `oms.archive.v1.ArchiveAccess`: access requests, their decisions, logged viewings. */
export function archiveAccessService(deps: AccessDeps) {
  return bindService("oms.archive.v1.ArchiveAccess", archiveApi.ArchiveAccessService, {
    requestAccess: (request) => requestAccess(deps, request),
    decideAccess: (request) => decideAccess(deps, request),
    viewDossier: (request) => viewDossier(deps, request),
    listAccess: (request) => listAccess(deps, request),
    getAccessRequest: (request) => getAccessRequest(deps, request),
  });
}
