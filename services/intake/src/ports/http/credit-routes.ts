import type { FastifyInstance } from "fastify";
import { assessCredit } from "../../app/commands/assess-credit.ts";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { getCustomerCredit } from "../../app/queries/get-customer-credit.ts";
import { CreditAssessmentRequestSchema } from "./credit-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { customerIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/** A customer's credit, asked of billing: finance assesses it; finance, the store manager, auditors and customer service read it. */
export function registerCreditRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  app.get("/v1/customers/:customerId/credit", roleFirst("view-credit"), async (request) => {
    const context = permittedContextOf(request, "view-credit");
    return getCustomerCredit(deps, context, customerIdOf(request));
  });

  // 201 for every assessment, a repeat of the current one too (billing keeps it once): the credit as it now stands.
  app.post("/v1/customers/:customerId/credit-assessments", roleFirst("assess-credit"), async (request, reply) => {
    const context = permittedContextOf(request, "assess-credit");
    const customerId = customerIdOf(request);
    const { rating, limitMinor, currency, termsDays, reason } = parseOrRefuse(CreditAssessmentRequestSchema, request.body);
    // What the clerk left out goes as zero or empty, for billing to refuse by name where its rules need it.
    const assessment = { rating, limitMinor: limitMinor ?? 0, currency: currency ?? "", termsDays: termsDays ?? 0, reason };
    return reply.code(201).send(await assessCredit(deps, context, customerId, assessment));
  });
}
