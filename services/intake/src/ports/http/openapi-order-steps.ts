import { permissions } from "../../domain/permissions.ts";
import { body, forbidden, ref, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, common } from "./openapi-parts.ts";
import {
  ClosureOutcomesSchema,
  ClosureSchema,
  CreditDecisionSchema,
  DeliverySchema,
  CustomerOrderListSchema,
  CustomerOrdersQuerySchema,
  ListOrdersQuerySchema,
  OrderKpisQuerySchema,
  OrderKpisSchema,
  OrderListSchema,
  PaymentSchema,
  RejectionSchema,
  SettlementViewSchema,
} from "./step-schemas.ts";
import { SalesReportQuerySchema, SalesReportSchema } from "./sales-report-schemas.ts";

const notFound = problem("No such order.");
const unavailable = problem("The owning service cannot answer now (retry after Retry-After).");

const deliveryExamples = {
  whole: { deliveredAt: "2026-05-02T10:15:00+08:00", place: "front door", method: "courier", proofKind: "signature", proofRef: "sig-7f3a", collectedMinor: 0 },
  part: { place: "front door", method: "rider", proofKind: "photo", proofRef: "photo-31c9", partId: "2" },
};

/** The people's steps after confirmation (delivery, acceptance, rejection, payment, closing) and the staff's order list. */
export function orderStepPaths() {
  return {
    "/v1/orders/{orderId}/delivery": {
      post: {
        operationId: "recordDelivery",
        summary: "Record the hand-over, with proof",
        description:
          `Fulfillment's RecordDelivery. Who: ${permissions["record-delivery"].who}. A rider, service staff or business owner ` +
          "records only the order (or part) assigned to them, the counter only a pick-up (403 order.delivery-not-theirs, " +
          "order.delivery-by-staff). The customer's acceptance period starts. " +
          "A split order is delivered part by part (partId; it may be left out while only one part is on its way): " +
          'the order is "partially-delivered" until the last part arrives, and the acceptance period starts then.',
        parameters: orderParameters,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("Delivery"),
              example: deliveryExamples.whole,
              examples: { whole: { value: deliveryExamples.whole }, "part of a split order": { value: deliveryExamples.part } },
            },
          },
        },
        responses: {
          "200": ok("Delivered; the customer accepts or refuses next.", "OrderStatusView"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(permissions["record-delivery"].who),
          "404": problem("No such order, or (to a platform) one that did not come in on it, answered alike (order.not-found)."),
          "409": problem(
            "Not deliverable in the order's current state (e.g. not shipped yet; code order.part-not-deliverable for a part not shipped), or still being set up (retry); " +
              "or collectedMinor is more than the order still owes (code payment.more-than-outstanding: nothing for a prepaid order).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/acceptance": {
      post: {
        operationId: "acceptDelivery",
        summary: "The customer signs for the delivery",
        description: `Fulfillment's AcceptDelivery. Who: ${permissions["accept-delivery"].who}; a customer their own order only (another's is answered 404 as unknown). No body. Accepting again changes nothing.`,
        parameters: orderParameters,
        responses: {
          "200": ok("Accepted and completed (settled too when everything is paid).", "OrderStatusView"),
          "403": forbidden(permissions["accept-delivery"].who),
          "404": notFound,
          "409": problem("Nothing delivered to accept."),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/rejection": {
      post: {
        operationId: "rejectDelivery",
        summary: "The customer refuses the delivery, with reasons",
        description: `Fulfillment's RejectDelivery. Who: ${permissions["reject-delivery"].who}; a customer their own order only (another's is answered 404 as unknown). The order goes to rework and a new delivery.`,
        parameters: orderParameters,
        requestBody: body("Rejection", { reason: "The kettle's lid is cracked" }),
        responses: {
          "200": ok("Refused; the order is in rework.", "OrderStatusView"),
          "400": problem("No reason given."),
          "403": forbidden(permissions["reject-delivery"].who),
          "404": notFound,
          "409": problem("Only a delivered order can be refused."),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/closure": {
      post: {
        operationId: "closeOrder",
        summary: "Finance closes a settled order",
        description: `Fulfillment's CloseOrder. Who: ${permissions["close-order"].who}. No body. Closing again changes nothing.`,
        parameters: orderParameters,
        responses: {
          "200": ok("Closed.", "OrderStatusView"),
          "403": forbidden(permissions["close-order"].who),
          "404": notFound,
          "409": problem("Not settled yet."),
          "503": unavailable,
        },
      },
    },
    "/v1/order-closures": {
      post: {
        operationId: "closeOrders",
        summary: "Finance closes many settled orders at once",
        description:
          `Fulfillment's CloseOrders. Who: ${permissions["close-order"].who}. Up to 200 orders (a day's settled orders) in one request, ` +
          "closed together; each is answered on its own, in the order sent: its status, or the problem closing it alone would have met " +
          "(not settled yet, unknown) while the others are closed. An order already closed stays closed; sending the closure again after a 503 is safe.",
        parameters: common,
        requestBody: body("Closure", { orderIds: ["8f14e45f-ceea-4e67-a2c3-6b1f2d9a7c01", "c9f0f895-fb98-4b91-9f3e-2a7d1c5e8b02"] }),
        responses: {
          "200": ok("One outcome per order, in the order sent.", "ClosureOutcomes"),
          "400": problem("Wrong fields (no orders, more than 200, one sent twice), one message each; no order is closed."),
          "403": forbidden(permissions["close-order"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/credit-decision": {
      post: {
        operationId: "decideCredit",
        summary: "Finance grants or refuses credit to an on-credit order",
        description:
          `Fulfillment's ApproveCredit or RefuseCredit. Who: ${permissions["decide-credit"].who}. An order paid on credit (not prepaid) ` +
          "waits on hold for this decision: granted, it goes on to reservation and assignment; refused, it is cancelled with the reason, which the customer is told.",
        parameters: orderParameters,
        requestBody: body("CreditDecision", { approved: true, reason: "account 7731 in good standing, limit 50,000.00" }),
        responses: {
          "200": ok("Decided; the order as it now stands.", "OrderStatusView"),
          "400": problem("A refusal without a reason, or wrong fields."),
          "403": forbidden(permissions["decide-credit"].who),
          "404": notFound,
          "409": problem("The order is not waiting for a credit decision."),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/payments": {
      post: {
        operationId: "confirmPayment",
        summary: "Finance confirms a payment for the order",
        description:
          `Billing's ConfirmPayment. Who: ${permissions["confirm-payment"].who}. The same reference twice is one payment; ` +
          "a payment above what is outstanding, or in another currency, is refused. The payment that clears the order settles it.",
        parameters: orderParameters,
        requestBody: body("Payment", { amountMinor: 45_700, currency: "CNY", method: "bank-transfer", reference: "ICBC-20260502-000731" }),
        responses: {
          "200": ok("Recorded; the settlement as it stands now.", "Settlement"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(permissions["confirm-payment"].who),
          "404": notFound,
          "409": problem("The settlement's rules refuse it (no settlement yet, overpayment, other currency)."),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/settlement": {
      get: {
        operationId: "getSettlement",
        summary: "What the order owes and what has been paid",
        description: `Billing's GetSettlement. Who: ${permissions["view-settlement"].who}. Billing prepares it once the order is assigned.`,
        parameters: orderParameters,
        responses: {
          "200": ok("The settlement.", "Settlement"),
          "403": forbidden(permissions["view-settlement"].who),
          "404": problem("No such order, or no settlement yet."),
          "503": unavailable,
        },
      },
    },
    "/v1/customers/{customerId}/orders": {
      get: {
        operationId: "listCustomerOrders",
        summary: "A customer's own orders, newest first, each with where it stands",
        description:
          "The orders intake accepted naming this customer (guest orders name no one), with fulfillment's current status; " +
          `GET /v1/orders/{orderId} has an order's timeline. Who: ${permissions["list-customer-orders"].who}. Page with nextPageToken.`,
        parameters: [
          { name: "customerId", in: "path", required: true, schema: { type: "string", maxLength: 64 }, example: "c-42" },
          ...queryParametersOf(CustomerOrdersQuerySchema),
          ...common,
        ],
        responses: {
          "200": ok("One page of the customer's orders.", "CustomerOrderList"),
          "400": problem("Wrong query parameters, one message each (a pageToken this list did not give)."),
          "403": forbidden(`${permissions["list-customer-orders"].who}, or another customer`),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/order-kpis": {
      get: {
        operationId: "getOrderKpis",
        summary: "A store's order-handling KPIs over the orders created in a period",
        description:
          "Intake timeliness (receipt to confirmation), information accuracy (orders corrected after intake), processing (receipt to shipment) " +
          "and on-time delivery (by the requested time). Fulfillment's GetOrderKpis; the people's figures are at /v1/kpis, complaints and " +
          `satisfaction in the after-sales report. Who: ${permissions["view-kpis"].who}.`,
        parameters: [{ $ref: "#/components/parameters/StoreId" }, ...queryParametersOf(OrderKpisQuerySchema), ...common],
        responses: {
          "200": ok("The KPIs.", "OrderKpis"),
          "400": problem("No period, until not after from, or a period over 366 days."),
          "403": forbidden(permissions["view-kpis"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/sales-report": {
      get: {
        operationId: "getSalesReport",
        summary: "A store's sales over the orders created in a period: trend, items, regions, channels",
        description:
          "The order trend by day, week (from Monday) or month in the given time zone, the best-selling goods and services, and sales by the customer's " +
          "region and by channel. Sales are the amounts due as they stand of the orders not cancelled or rejected; an order counts at the store it " +
          `belongs to. Fulfillment's GetSalesReport. Who: ${permissions["view-kpis"].who}.`,
        parameters: [{ $ref: "#/components/parameters/StoreId" }, ...queryParametersOf(SalesReportQuerySchema), ...common],
        responses: {
          "200": ok("The sales report.", "SalesReport"),
          "400": problem("No period, until not after from, a period over 366 days, an unknown interval or time zone, or top out of 1 to 200."),
          "403": forbidden(permissions["view-kpis"].who),
          "503": unavailable,
        },
      },
    },
  };
}

export function orderListOperation() {
  return {
    operationId: "listOrders",
    summary: "Orders by store, status, channel, priority and creation time, newest first",
    description: `Fulfillment's ListOrders. Who: ${permissions["list-orders"].who}. Page with nextPageToken.`,
    parameters: [...queryParametersOf(ListOrdersQuerySchema), ...common],
    responses: {
      "200": ok("One page of orders.", "OrderList"),
      "400": problem("Wrong query parameters, one message each."),
      "403": forbidden(permissions["list-orders"].who),
      "503": unavailable,
    },
  };
}

export const orderStepSchemas = () => ({
  Delivery: jsonSchemaOf(DeliverySchema, "input"),
  Rejection: jsonSchemaOf(RejectionSchema, "input"),
  CreditDecision: jsonSchemaOf(CreditDecisionSchema, "input"),
  Payment: jsonSchemaOf(PaymentSchema, "input"),
  Settlement: jsonSchemaOf(SettlementViewSchema, "output"),
  OrderList: jsonSchemaOf(OrderListSchema, "output"),
  OrderKpis: jsonSchemaOf(OrderKpisSchema, "output"),
  SalesReport: jsonSchemaOf(SalesReportSchema, "output"),
  CustomerOrderList: jsonSchemaOf(CustomerOrderListSchema, "output"),
  Closure: jsonSchemaOf(ClosureSchema, "input"),
  ClosureOutcomes: jsonSchemaOf(ClosureOutcomesSchema, "output"),
});
