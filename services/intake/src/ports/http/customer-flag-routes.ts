import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { flagCustomer } from "../../app/commands/flag-customer.ts";
import { unflagCustomer } from "../../app/commands/unflag-customer.ts";
import type { CustomerFlagDeps, CustomerFlagView } from "../../app/customer-flag-views.ts";
import { listFlaggedCustomers } from "../../app/queries/list-flagged-customers.ts";
import type { FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import {
  CustomerFlagByContactSchema,
  CustomerFlagRemovalSchema,
  CustomerFlagSchema,
  CustomerIdParamsSchema,
  ListCustomerFlagsQuerySchema,
  customerRefOf,
} from "./customer-flag-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { noHeadOfShowings } from "./showing-routes.ts";
import { roleFirst } from "./store-scope.ts";

const customerOfPath = (request: FastifyRequest): FlaggedCustomerRef => ({
  by: "customerId",
  customerId: parseOrRefuse(CustomerIdParamsSchema, request.params, "customerId").customerId,
});

// A flag by contact repeats the phone or e-mail given: not for caches either.
const answerFlag = (reply: FastifyReply, { created, flag }: { created: boolean; flag: CustomerFlagView }) =>
  reply.code(created ? 201 : 200).header("cache-control", "no-store").send(flag);

/**
 * Flagged customers: reviewers and store managers flag a customer (by id in the path, or by contact
 * in the body), lift it, and list them. The caller's store scope says where a flag is raised and
 * whose contacts the list shows in full (ADR 024, addendum on flags and stores).
 */
export function registerCustomerFlagRoutes(app: FastifyInstance, deps: CustomerFlagDeps): void {
  app.put("/v1/customers/:customerId/flag", roleFirst("flag-customer"), async (request, reply) => {
    const context = permittedContextOf(request, "flag-customer");
    const customer = customerOfPath(request);
    const { reason, storeId } = parseOrRefuse(CustomerFlagSchema, request.body);
    return answerFlag(reply, await flagCustomer(deps, context, request.storeScope, { customer, reason, storeId }));
  });

  app.delete("/v1/customers/:customerId/flag", roleFirst("unflag-customer"), async (request, reply) => {
    const context = permittedContextOf(request, "unflag-customer");
    await unflagCustomer(deps, context, customerOfPath(request));
    return reply.code(204).send();
  });

  app.post("/v1/customers/flags", roleFirst("flag-customer"), async (request, reply) => {
    const context = permittedContextOf(request, "flag-customer");
    const body = parseOrRefuse(CustomerFlagByContactSchema, request.body);
    return answerFlag(reply, await flagCustomer(deps, context, request.storeScope, { customer: customerRefOf(body), reason: body.reason, storeId: body.storeId }));
  });

  app.post("/v1/customers/flags/removal", roleFirst("unflag-customer"), async (request, reply) => {
    const context = permittedContextOf(request, "unflag-customer");
    const body = parseOrRefuse(CustomerFlagRemovalSchema, request.body);
    await unflagCustomer(deps, context, customerRefOf(body));
    return reply.code(204).send();
  });

  app.get("/v1/customers/flags", { ...noHeadOfShowings, ...roleFirst("list-flagged-customers") }, async (request, reply) => {
    const context = permittedContextOf(request, "list-flagged-customers");
    const query = parseOrRefuse(ListCustomerFlagsQuerySchema, request.query, "query");
    const page = await listFlaggedCustomers(deps, context, request.storeScope, { pageSize: query.pageSize ?? 50, pageToken: query.pageToken });
    // It shows customers' phones and e-mails: no cache keeps a copy (as GET /v1/orders/{id}/contact).
    return reply.header("cache-control", "no-store").send(page);
  });
}
