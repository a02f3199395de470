import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ArchiveDossiers } from "../../adapters/grpc-clients/archive.ts";
import {
  AccessRequestIdParamsSchema,
  DossierAccessApprovalSchema,
  DossierAccessRejectionSchema,
  DossierAccessRequestSchema,
  DossierQuerySchema,
} from "./archive-schemas.ts";
import { withContactsOpened } from "../../app/queries/dossier-contacts.ts";
import type { ContactDeps } from "../../app/queries/show-order-contact.ts";
import { dossierViewOf } from "./archive-views.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { noHeadOfShowings } from "./showing-routes.ts";
import { roleFirst } from "./store-scope.ts";

export interface ArchiveRouteDeps {
  archive: ArchiveDossiers;
  /** The dossier's sealed contacts are opened for its approved reader (ADR 024). */
  contacts: ContactDeps;
}

// The asker chose the id (ADR 015), so it is any text, sent URL-encoded; the router decodes %2F inside it.
const requestIdOf = (request: FastifyRequest) => parseOrRefuse(AccessRequestIdParamsSchema, request.params, "requestId").requestId;

/**
 * Viewing what an order's archived dossier holds: a member of staff asks with a reason,
 * someone else decides, the asker views while the approval lasts, auditors read who
 * looked. The gateway lets through the roles of domain/permissions.ts; the archive keeps
 * its own rules on top (never one's own decision, only the asker views, every viewing logged).
 */
export function registerArchiveRoutes(app: FastifyInstance, { archive, contacts }: ArchiveRouteDeps): void {
  // A dossier's content and its access log must never be served from a cache: each viewing
  // is asked of the archive, checked and logged.
  const neverCached = (reply: FastifyReply) => reply.header("cache-control", "no-store");
  app.post("/v1/orders/:orderId/dossier-access-requests", roleFirst("request-dossier-access"), async (request, reply) => {
    const context = permittedContextOf(request, "request-dossier-access");
    const orderId = orderIdOf(request);
    const ask = parseOrRefuse(DossierAccessRequestSchema, request.body);
    return reply.code(201).send(await archive.requestAccess(orderId, context.caller, ask, context.correlationId));
  });

  app.post("/v1/dossier-access-requests/:requestId/approval", roleFirst("decide-dossier-access"), async (request) => {
    const context = permittedContextOf(request, "decide-dossier-access");
    const requestId = requestIdOf(request);
    const { note } = parseOrRefuse(DossierAccessApprovalSchema, request.body ?? {});
    return archive.decideAccess(requestId, context.caller, { approve: true, note: note ?? "" }, context.correlationId);
  });

  app.post("/v1/dossier-access-requests/:requestId/rejection", roleFirst("decide-dossier-access"), async (request) => {
    const context = permittedContextOf(request, "decide-dossier-access");
    const requestId = requestIdOf(request);
    const { note } = parseOrRefuse(DossierAccessRejectionSchema, request.body);
    return archive.decideAccess(requestId, context.caller, { approve: false, note }, context.correlationId);
  });

  app.get("/v1/orders/:orderId/dossier", { ...noHeadOfShowings, ...roleFirst("view-dossier") }, async (request, reply) => {
    neverCached(reply);
    const context = permittedContextOf(request, "view-dossier");
    const orderId = orderIdOf(request);
    const { requestId } = parseOrRefuse(DossierQuerySchema, request.query, "query");
    return withContactsOpened(contacts, context, dossierViewOf(await archive.viewDossier(orderId, requestId, context.caller, context.correlationId)));
  });

  app.get("/v1/orders/:orderId/dossier-access", roleFirst("list-dossier-access"), async (request, reply) => {
    neverCached(reply);
    const context = permittedContextOf(request, "list-dossier-access");
    return archive.listAccess(orderIdOf(request), context.caller, context.correlationId);
  });
}
