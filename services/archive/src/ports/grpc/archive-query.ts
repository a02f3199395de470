import type pg from "pg";
import { archiveApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getDossier } from "../../app/queries/get-dossier.ts";

/** `oms.archive.v1.ArchiveQuery`: the dossier's index (ids, types, times); its content is ArchiveAccess's. */
export function archiveQueryService(pool: pg.Pool) {
  return bindService("oms.archive.v1.ArchiveQuery", archiveApi.ArchiveQueryService, {
    getDossier: (request) => getDossier(pool, request.orderId),
  });
}
