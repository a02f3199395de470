import type { FastifyInstance } from "fastify";
import { listContactDisclosures, showOrderContact, type ContactDeps } from "../../app/queries/show-order-contact.ts";
import { ShowingsPageQuerySchema, showingsPageOf } from "./disclosure-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { noHeadOfShowings } from "./showing-routes.ts";
import { roleFirst } from "./store-scope.ts";

/**
 * A customer's contact, for those whose work reaches the customer, and who was shown it,
 * for those who answer for it. Neither answer may be cached: each showing is asked, checked
 * and logged.
 */
export function registerContactRoutes(app: FastifyInstance, deps: ContactDeps): void {
  app.get("/v1/orders/:orderId/contact", { ...noHeadOfShowings, ...roleFirst("view-contact") }, async (request, reply) => {
    const context = permittedContextOf(request, "view-contact");
    const contact = await showOrderContact(deps, context, orderIdOf(request));
    return reply.header("cache-control", "no-store").send(contact);
  });

  app.get("/v1/orders/:orderId/contact-disclosures", roleFirst("list-contact-disclosures"), async (request, reply) => {
    permittedContextOf(request, "list-contact-disclosures");
    const orderId = orderIdOf(request);
    const page = await listContactDisclosures(deps, orderId, showingsPageOf(parseOrRefuse(ShowingsPageQuerySchema, request.query ?? {}, "query")));
    const disclosures = page.disclosures.map((d) => ({ shownTo: d.shownTo, role: d.role, correlationId: d.correlationId, shownAt: d.shownAt.toISOString() }));
    return reply.header("cache-control", "no-store").send({ orderId, disclosures, nextPageToken: page.nextPageToken || undefined });
  });
}
