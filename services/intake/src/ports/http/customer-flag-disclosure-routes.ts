import type { FastifyInstance, FastifyReply } from "fastify";
import type { CustomerFlagDeps } from "../../app/customer-flag-views.ts";
import { listCustomerFlagDisclosures, type CustomerFlagDisclosureQuery, type FlagNamed } from "../../app/queries/list-customer-flag-disclosures.ts";
import { CustomerFlagDisclosureSearchSchema, CustomerFlagDisclosuresQuerySchema } from "./customer-flag-disclosure-schemas.ts";
import { customerRefOf } from "./customer-flag-schemas.ts";
import { ShowingsPageQuerySchema, showingsPageOf } from "./disclosure-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { noHeadOfShowings } from "./showing-routes.ts";

const dateOf = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

// The log names no store (a flag holds at every store), so only staff working chain-wide read it.
const chainWideOnly = { config: { chainWideOnly: true } } as const;

async function answer(reply: FastifyReply, deps: CustomerFlagDeps, query: CustomerFlagDisclosureQuery) {
  const page = await listCustomerFlagDisclosures(deps, query);
  const disclosures = page.disclosures.map((d) => ({ customerKeys: d.customerKeys, shownTo: d.shownTo, role: d.role, shownAt: d.shownAt.toISOString(), correlationId: d.correlationId }));
  return reply.header("cache-control", "no-store").send({ customerKey: page.customerKey, disclosures, nextPageToken: page.nextPageToken || undefined });
}

/**
 * Who was shown flagged customers' phones and e-mails (migration 014's log; ADR 024's
 * twenty-fourth-session addendum), for those who read the other showings' logs: by period, and
 * by flag — named by customer id or key in the query, or by phone or e-mail in a search's body,
 * which keeps the contact out of URLs and access logs. Paged as every showings' log.
 */
export function registerCustomerFlagDisclosureRoutes(app: FastifyInstance, deps: CustomerFlagDeps): void {
  app.get("/v1/customers/flags/disclosures", { ...noHeadOfShowings, ...chainWideOnly }, async (request, reply) => {
    permittedContextOf(request, "list-customer-flag-disclosures");
    const query = parseOrRefuse(CustomerFlagDisclosuresQuerySchema, request.query ?? {}, "query");
    const flag: FlagNamed | undefined =
      query.customerId !== undefined ? { customer: { by: "customerId", customerId: query.customerId } } : query.customerKey !== undefined ? { customerKey: query.customerKey } : undefined;
    return answer(reply, deps, { flag, from: dateOf(query.from), until: dateOf(query.until), ...showingsPageOf(query) });
  });

  app.post("/v1/customers/flags/disclosures/search", chainWideOnly, async (request, reply) => {
    permittedContextOf(request, "list-customer-flag-disclosures");
    const page = showingsPageOf(parseOrRefuse(ShowingsPageQuerySchema, request.query ?? {}, "query"));
    const body = parseOrRefuse(CustomerFlagDisclosureSearchSchema, request.body);
    return answer(reply, deps, { flag: { customer: customerRefOf(body) }, from: dateOf(body.from), until: dateOf(body.until), ...page });
  });
}
