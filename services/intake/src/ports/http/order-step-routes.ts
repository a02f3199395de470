import type { FastifyInstance } from "fastify";
import { acceptDelivery } from "../../app/commands/accept-delivery.ts";
import { closeOrder } from "../../app/commands/close-order.ts";
import { closeOrders } from "../../app/commands/close-orders.ts";
import type { OrderCommandDeps } from "../../app/commands/confirm-order.ts";
import { decideCredit } from "../../app/commands/decide-credit.ts";
import { confirmPayment, type SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { recordDelivery } from "../../app/commands/record-delivery.ts";
import { rejectDelivery } from "../../app/commands/reject-delivery.ts";
import { getSettlement } from "../../app/queries/get-settlement.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { ClosureSchema, CreditDecisionSchema, DeliverySchema, NoBodySchema, PaymentSchema, RejectionSchema } from "./step-schemas.ts";
import { roleFirst } from "./store-scope.ts";

export interface OrderStepRouteDeps {
  orders: OrderCommandDeps;
  settlements: SettlementDeps;
}

/**
 * The people's steps after an order is assigned: delivery (rider, technician, counter, its marketplace),
 * acceptance or rejection (the customer), payment and closing (finance); and finance's
 * credit decision on an on-credit order, which comes before anything is assigned. Each asks the
 * service that owns the step, as the caller; the caller's role is checked first.
 */
export function registerOrderStepRoutes(app: FastifyInstance, deps: OrderStepRouteDeps): void {
  app.post("/v1/orders/:orderId/delivery", roleFirst("record-delivery"), async (request) => {
    const context = permittedContextOf(request, "record-delivery");
    const orderId = orderIdOf(request);
    const { collectedMinor, ...delivery } = parseOrRefuse(DeliverySchema, request.body);
    return recordDelivery(deps, context, orderId, { ...delivery, collectedMinor: collectedMinor ?? 0 });
  });

  app.post("/v1/orders/:orderId/acceptance", roleFirst("accept-delivery"), async (request) => {
    const context = permittedContextOf(request, "accept-delivery");
    const orderId = orderIdOf(request);
    parseOrRefuse(NoBodySchema, request.body ?? {});
    return acceptDelivery(deps.orders, context, orderId);
  });

  app.post("/v1/orders/:orderId/rejection", roleFirst("reject-delivery"), async (request) => {
    const context = permittedContextOf(request, "reject-delivery");
    const orderId = orderIdOf(request);
    const { reason } = parseOrRefuse(RejectionSchema, request.body);
    return rejectDelivery(deps.orders, context, orderId, reason);
  });

  app.post("/v1/orders/:orderId/closure", roleFirst("close-order"), async (request) => {
    const context = permittedContextOf(request, "close-order");
    const orderId = orderIdOf(request);
    parseOrRefuse(NoBodySchema, request.body ?? {});
    return closeOrder(deps.orders, context, orderId, deps.settlements);
  });

  app.post("/v1/order-closures", roleFirst("close-order"), async (request) => {
    const context = permittedContextOf(request, "close-order");
    const { orderIds } = parseOrRefuse(ClosureSchema, request.body);
    return closeOrders(deps.orders, context, orderIds, deps.settlements);
  });

  app.post("/v1/orders/:orderId/credit-decision", roleFirst("decide-credit"), async (request) => {
    const context = permittedContextOf(request, "decide-credit");
    const orderId = orderIdOf(request);
    const { approved, reason } = parseOrRefuse(CreditDecisionSchema, request.body);
    return decideCredit(deps.orders, context, orderId, { approved, reason: reason ?? "" });
  });

  app.post("/v1/orders/:orderId/payments", roleFirst("confirm-payment"), async (request) => {
    const context = permittedContextOf(request, "confirm-payment");
    const orderId = orderIdOf(request);
    const payment = parseOrRefuse(PaymentSchema, request.body);
    return confirmPayment(deps.settlements, context, orderId, payment);
  });

  app.get("/v1/orders/:orderId/settlement", roleFirst("view-settlement"), async (request) => {
    const context = permittedContextOf(request, "view-settlement");
    return getSettlement(deps.settlements, context, orderIdOf(request));
  });
}
