import type { FastifyInstance } from "fastify";
import { issueRefund } from "../../app/commands/issue-refund.ts";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { listRefunds } from "../../app/queries/list-refunds.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { RefundRequestSchema } from "./refund-schemas.ts";
import { roleFirst } from "./store-scope.ts";

/** An order's refunds, asked of billing: finance lists and issues them, customer service looks. */
export function registerRefundRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  app.get("/v1/orders/:orderId/refunds", roleFirst("list-refunds"), async (request) => {
    const context = permittedContextOf(request, "list-refunds");
    return listRefunds(deps, context, orderIdOf(request));
  });

  // 201 for a retry under the same reference too: it answers the refunds as the first request left them.
  app.post("/v1/orders/:orderId/refunds", roleFirst("issue-refund"), async (request, reply) => {
    const context = permittedContextOf(request, "issue-refund");
    const orderId = orderIdOf(request);
    const refund = parseOrRefuse(RefundRequestSchema, request.body);
    return reply.code(201).send(await issueRefund(deps, context, orderId, refund));
  });
}
