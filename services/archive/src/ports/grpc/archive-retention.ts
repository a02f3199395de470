import { archiveApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { disposeDossiers } from "../../app/retention/dispose-dossiers.ts";
import { changeDossierHold } from "../../app/retention/hold-dossier.ts";
import { listDisposals } from "../../app/retention/list-disposals.ts";
import { listRetention } from "../../app/retention/list-retention.ts";
import type { RetentionDeps } from "../../app/retention/retention-deps.ts";

/** `oms.archive.v1.ArchiveRetention`: retention, legal holds and disposals (ADR 029). */
export function archiveRetentionService(deps: RetentionDeps) {
  return bindService("oms.archive.v1.ArchiveRetention", archiveApi.ArchiveRetentionService, {
    listRetention: (request) => listRetention(deps, request),
    holdDossier: (request) => changeDossierHold(deps, "hold", request),
    releaseHold: (request) => changeDossierHold(deps, "release", request),
    disposeDossiers: (request) => disposeDossiers(deps, request),
    listDisposals: (request) => listDisposals(deps, request),
  });
}
