import type pg from "pg";
import { archiveApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getDossier } from "../../app/queries/get-dossier.ts";

/** `oms.archive.v1.ArchiveQuery`. Access requests and the access log will wrap these handlers here. */
export function archiveQueryService(pool: pg.Pool) {
  return bindService("oms.archive.v1.ArchiveQuery", archiveApi.ArchiveQueryService, {
    getDossier: (request) => getDossier(pool, request.orderId),
  });
}
