import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ForbiddenError, ValidationError } from "@oms/errors";
import { acceptOrder, type AcceptOrderDeps, type AcceptOrderResult } from "../../app/commands/accept-order.ts";
import { cancelOrder } from "../../app/commands/cancel-order.ts";
import { confirmOrder, type OrderCommandDeps } from "../../app/commands/confirm-order.ts";
import { acceptedViewOf } from "../../app/order-views.ts";
import { getOrderStatus } from "../../app/queries/get-order-status.ts";
import { listCustomerOrders } from "../../app/queries/list-customer-orders.ts";
import { listOrders } from "../../app/queries/list-orders.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { permittedContextOf, requestContextOf } from "./request-context-of.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { CancellationSchema, ConfirmationSchema, parseOrderSubmission } from "./schemas.ts";
import { SalesReportQuerySchema } from "./sales-report-schemas.ts";
import { CustomerIdParamsSchema, CustomerOrdersQuerySchema, ListOrdersQuerySchema, OrderKpisQuerySchema } from "./step-schemas.ts";
import { roleFirst } from "./store-scope.ts";

export interface OrderRouteDeps {
  accept: AcceptOrderDeps;
  /** Fulfillment, which owns the order once intake handed it over, and intake's own records. */
  orders: OrderCommandDeps;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers["idempotency-key"];
  if (key === undefined) return undefined;
  if (typeof key !== "string" || !idempotencyKeyPattern.test(key)) {
    throw new ValidationError([{ field: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters" }]);
  }
  return key;
}

/**
 * The answer to a submitted order: 201 new, 202 new but waiting for a reviewer, 200 a
 * repeat (with Idempotent-Replayed), each with the order's Location.
 */
export function answerAcceptance(reply: FastifyReply, { created, order }: AcceptOrderResult) {
  reply.code(!created ? 200 : order.status === "in-review" ? 202 : 201).header("location", `/v1/orders/${order.orderId}`);
  if (!created) reply.header("idempotent-replayed", "true");
  return acceptedViewOf(order);
}

/** The orders API: thin; every decision is a use case's. */
export function registerOrderRoutes(app: FastifyInstance, deps: OrderRouteDeps): void {
  // The role before the store scope (permittedFirst): staff who do not take orders are told so, whichever store they name.
  app.post("/v1/orders", { config: { permittedFirst: "submit-order" } }, async (request, reply) => {
    const context = permittedContextOf(request, "submit-order");
    const submission = parseOrderSubmission(request.body);
    return answerAcceptance(reply, await acceptOrder(deps.accept, context, { submission, idempotencyKey: idempotencyKeyOf(request), callerScope: request.storeScope }));
  });

  app.get("/v1/orders", roleFirst("list-orders"), async (request) => {
    const context = permittedContextOf(request, "list-orders");
    const query = parseOrRefuse(ListOrdersQuerySchema, request.query, "query");
    return listOrders(deps.orders, context, {
      storeId: query.storeId ?? "",
      status: query.status ?? "",
      channel: query.channel ?? "",
      minPriority: query.minPriority ?? 0,
      createdFrom: query.createdFrom ?? "",
      createdUntil: query.createdUntil ?? "",
      pageSize: query.pageSize ?? 0,
      pageToken: query.pageToken ?? "",
    });
  });

  app.get("/v1/customers/:customerId/orders", roleFirst("list-customer-orders"), async (request) => {
    const context = permittedContextOf(request, "list-customer-orders");
    const { customerId } = parseOrRefuse(CustomerIdParamsSchema, request.params, "customerId");
    if (context.caller.kind === "customer" && context.caller.id !== customerId) {
      throw new ForbiddenError("caller.not-permitted", "a customer lists their own orders only");
    }
    const { pageSize, pageToken } = parseOrRefuse(CustomerOrdersQuerySchema, request.query, "query");
    return listCustomerOrders(deps.orders, customerId, { pageSize: pageSize ?? 20, pageToken: pageToken ?? "" }, context.correlationId);
  });

  app.get("/v1/stores/:storeId/order-kpis", roleFirst("view-kpis"), async (request) => {
    const context = permittedContextOf(request, "view-kpis");
    const storeId = storeIdOf(request);
    const period = parseOrRefuse(OrderKpisQuerySchema, request.query, "query");
    return deps.orders.fulfillment.orderKpis(storeId, period, context.correlationId);
  });

  // The same readers as the KPIs: sales are supervision's figures too (DOMAIN.md, Supervision and KPIs).
  app.get("/v1/stores/:storeId/sales-report", roleFirst("view-kpis"), async (request) => {
    const context = permittedContextOf(request, "view-kpis");
    const storeId = storeIdOf(request);
    const { from, until, interval, timeZone, top } = parseOrRefuse(SalesReportQuerySchema, request.query, "query");
    return deps.orders.fulfillment.salesReport(storeId, { from, until, interval: interval ?? "", timeZone: timeZone ?? "", top: top ?? 0 }, context.correlationId);
  });

  app.get("/v1/orders/:orderId", async (request) => {
    const context = requestContextOf(request);
    return getOrderStatus(deps.orders, context, orderIdOf(request));
  });

  app.post("/v1/orders/:orderId/confirmation", { config: { permittedFirst: "confirm-order" } }, async (request) => {
    const context = permittedContextOf(request, "confirm-order");
    const { note } = parseOrRefuse(ConfirmationSchema, request.body ?? {});
    return confirmOrder(deps.orders, context, orderIdOf(request), note ?? "");
  });

  app.post("/v1/orders/:orderId/cancellation", { config: { permittedFirst: "cancel-order" } }, async (request) => {
    const context = permittedContextOf(request, "cancel-order");
    const { reason, reasonCode } = parseOrRefuse(CancellationSchema, request.body);
    return cancelOrder(deps.orders, context, orderIdOf(request), reason, reasonCode);
  });
}
