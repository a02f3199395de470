import type { FastifyInstance } from "fastify";
import { ForbiddenError } from "@oms/errors";
import type { ArchiveDossiers } from "../../adapters/grpc-clients/archive.ts";
import {
  archivePageOf,
  DossierDisposalSchema,
  DossierDisposalsQuerySchema,
  DossierHoldReleaseSchema,
  DossierHoldSchema,
  DossierRetentionQuerySchema,
} from "./dossier-retention-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/**
 * The archive's retention (ADR 029): what is due per store, legal holds on an order's dossier,
 * and disposals an auditor decides by naming the dossiers. Auditors only; a store-scoped
 * auditor lists and holds their stores' dossiers (the store scope checks the store and the
 * order), and only one working chain-wide disposes. The archive re-checks each dossier.
 */
export function registerDossierRetentionRoutes(app: FastifyInstance, archive: ArchiveDossiers): void {
  app.get("/v1/stores/:storeId/dossier-retention", roleFirst("list-dossier-retention"), async (request) => {
    const context = permittedContextOf(request, "list-dossier-retention");
    const storeId = storeIdOf(request);
    const query = parseOrRefuse(DossierRetentionQuerySchema, request.query, "query");
    // pageSize and limit both given, or a token it did not give: the archive refuses, naming the field.
    const list = await archive.listRetention(storeId, context.caller, { dueOnly: query.due === "true", ...archivePageOf(query) }, context.correlationId);
    return { ...list, nextPageToken: list.nextPageToken || undefined };
  });

  app.post("/v1/orders/:orderId/dossier-hold", roleFirst("hold-dossier"), async (request) => {
    const context = permittedContextOf(request, "hold-dossier");
    const orderId = orderIdOf(request);
    const { matter, reason } = parseOrRefuse(DossierHoldSchema, request.body);
    return archive.changeHold("hold", orderId, context.caller, { matter: matter ?? "", reason }, context.correlationId);
  });

  app.post("/v1/orders/:orderId/dossier-hold/release", roleFirst("hold-dossier"), async (request) => {
    const context = permittedContextOf(request, "hold-dossier");
    const orderId = orderIdOf(request);
    const { matter, reason } = parseOrRefuse(DossierHoldReleaseSchema, request.body);
    return archive.changeHold("release", orderId, context.caller, { matter: matter ?? "", reason }, context.correlationId);
  });

  // chainWideOnly: a store-scoped caller is refused before the store scope would look up each of up to 500 orders.
  app.post("/v1/dossier-disposals", { config: { chainWideOnly: true } }, async (request) => {
    const context = permittedContextOf(request, "dispose-dossiers");
    if (request.storeScope.kind !== "chain") throw new ForbiddenError("caller.chain-wide-only", "only an auditor working chain-wide disposes of dossiers");
    const { orderIds, reason } = parseOrRefuse(DossierDisposalSchema, request.body);
    return archive.disposeDossiers(orderIds, context.caller, reason, context.correlationId);
  });

  app.get("/v1/dossier-disposals", roleFirst("list-dossier-disposals"), async (request) => {
    const context = permittedContextOf(request, "list-dossier-disposals");
    const query = parseOrRefuse(DossierDisposalsQuerySchema, request.query, "query");
    const list = await archive.listDisposals(query.storeId, context.caller, archivePageOf(query), context.correlationId);
    return { ...list, nextPageToken: list.nextPageToken || undefined };
  });
}
