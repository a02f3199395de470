import { permissions } from "../../domain/permissions.ts";
import { body, forbidden, jsonSchemaOf, ok, orderParameters, problem } from "./openapi-parts.ts";
import { RefundRequestSchema, RefundsViewSchema } from "./refund-schemas.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const notFound = problem("No such order (order.not-found), or billing took no money on it (refund.order-unknown).");

/** An order's refunds, asked of billing's SettlementQuery and BillingCommands. */
export function refundPaths() {
  const list = permissions["list-refunds"].who;
  const issue = permissions["issue-refund"].who;
  return {
    "/v1/orders/{orderId}/refunds": {
      get: {
        operationId: "listRefunds",
        summary: "What was paid on the order and every refund of it",
        description: `Billing's ListRefunds: refunds on cancellation, by finance, for a cheaper substitute and after-sales, oldest first. Who: ${list}.`,
        parameters: orderParameters,
        responses: { "200": ok("The order's refunds.", "Refunds"), "403": forbidden(list), "404": notFound, "503": unavailable },
      },
      post: {
        operationId: "issueRefund",
        summary: "Return part (or the rest) of the money taken on the order",
        description:
          "Billing's IssueRefund: the money goes back the way it came (oldest payment first), never more than was paid. " +
          `Your reference makes a retry harmless: the same reference again refunds nothing more and answers the refunds as they are. Who: ${issue}.`,
        parameters: orderParameters,
        requestBody: body("RefundRequest", { amountMinor: 2_000, reason: "goodwill: late delivery", reference: "TICKET-4711" }),
        responses: {
          "201": ok("The refund was issued (or had been, under this reference): the order's refunds now.", "Refunds"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(issue),
          "404": notFound,
          "409": problem("More than was paid and not yet refunded (refund.rule-violation), or the reference already names another refund (refund.reference-reused)."),
          "503": unavailable,
        },
      },
    },
  };
}

export const refundSchemas = () => ({
  RefundRequest: jsonSchemaOf(RefundRequestSchema, "input"),
  Refunds: jsonSchemaOf(RefundsViewSchema, "output"),
});
