import { permissions } from "../../domain/permissions.ts";
import { CreditAssessmentRequestSchema, CustomerCreditViewSchema } from "./credit-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem } from "./openapi-parts.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const customerIdParameter = { name: "customerId", in: "path", required: true, schema: { type: "string", maxLength: 64 }, example: "c-42" };

/** A customer's credit, asked of billing's SettlementQuery and BillingCommands. */
export function creditPaths() {
  const view = permissions["view-credit"].who;
  const assess = permissions["assess-credit"].who;
  return {
    "/v1/customers/{customerId}/credit": {
      get: {
        operationId: "getCustomerCredit",
        summary: "A customer's credit: the current assessment, what they owe on credit, their open on-credit orders, every assessment",
        description:
          "Billing's GetCustomerCredit. An on-credit order held for credit is decided by the current assessment (within the limit, counting what " +
          "the customer owes); each open order shows that decision and whether collection started on it. A customer never assessed has " +
          `current null: a finance clerk decides their orders by hand. Who: ${view}.`,
        parameters: [customerIdParameter, ...common],
        responses: {
          "200": ok("The customer's credit.", "CustomerCredit"),
          "400": problem("A customer id empty or over 64 characters."),
          "403": forbidden(view),
          "503": unavailable,
        },
      },
    },
    "/v1/customers/{customerId}/credit-assessments": {
      post: {
        operationId: "assessCredit",
        summary: "Assess a customer's credit: good (a limit and payment terms) or poor (prepayment or cash on delivery)",
        description:
          "Billing's AssessCredit. Every assessment is kept; the newest decides the customer's next on-credit orders. One that worsens the credit " +
          "(good to poor, a lower limit, shorter terms) starts collection on what the customer owes on orders in execution; orders waiting for " +
          `credit stay waiting. Good credit needs limitMinor, currency and termsDays (1 to 365); poor credit has none. Who: ${assess}.`,
        parameters: [customerIdParameter, ...common],
        requestBody: body("CreditAssessmentRequest", { rating: "good", limitMinor: 5_000_000, currency: "CNY", termsDays: 30, reason: "paid every invoice on time for two years" }),
        responses: {
          "201": ok("Assessed: the customer's credit now.", "CustomerCredit"),
          "400": problem("Wrong fields, one message each: billing names what good or poor credit needs (limit, limit.currency, termsDays, rating)."),
          "403": forbidden(assess),
          "503": unavailable,
        },
      },
    },
  };
}

export const creditSchemas = () => ({
  CreditAssessmentRequest: jsonSchemaOf(CreditAssessmentRequestSchema, "input"),
  CustomerCredit: jsonSchemaOf(CustomerCreditViewSchema, "output"),
});
