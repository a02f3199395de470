import {
  CancellationSchema,
  ConfirmationSchema,
  OrderAcceptedSchema,
  OrderStatusViewSchema,
  OrderSubmissionSchema,
  ProblemSchema,
  SystemHealthSchema,
} from "./schemas.ts";
import { orderListOperation, orderStepPaths, orderStepSchemas } from "./openapi-order-steps.ts";
import { common, json, jsonSchemaOf, ok, orderParameters, parameters, problem, ref, requestIdHeader, securitySchemes } from "./openapi-parts.ts";
import { marketplaceAndReviewPaths, marketplaceAndReviewSchemas } from "./openapi-marketplaces-reviews.ts";
import { correctionPaths, correctionSchemas, shortagePaths, shortageSchemas } from "./openapi-corrections.ts";
import { forceMajeurePaths, forceMajeureSchemas } from "./openapi-force-majeure.ts";
import { warehousePaths, warehouseSchemas } from "./openapi-warehouse.ts";
import { expectedRestockPaths, expectedRestockSchemas } from "./openapi-expected-restock.ts";
import { replacementPaths, replacementSchemas } from "./openapi-replacements.ts";
import { contactPaths, contactSchemas } from "./openapi-contacts.ts";
import { customerFlagPaths, customerFlagSchemas } from "./openapi-customer-flags.ts";
import { dispatchPaths, dispatchSchemas } from "./openapi-dispatch.ts";
import { worklistPaths, worklistSchemas } from "./openapi-worklists.ts";
import { refundPaths, refundSchemas } from "./openapi-refunds.ts";
import { carrierRecoveryPaths, carrierRecoverySchemas } from "./openapi-carrier-recoveries.ts";
import { settlementDisputePaths, settlementDisputeSchemas } from "./openapi-settlement-disputes.ts";
import { invoicePaths, invoiceSchemas } from "./openapi-invoices.ts";
import { creditPaths, creditSchemas } from "./openapi-credit.ts";
import { reconciliationPaths, reconciliationSchemas } from "./openapi-reconciliations.ts";
import { afterSalesPaths, afterSalesSchemas } from "./openapi-after-sales.ts";
import { afterSalesListPaths, afterSalesListSchemas } from "./openapi-after-sales-lists.ts";
import { archivePaths, archiveSchemas } from "./openapi-archive.ts";
import { dossierRetentionPaths, dossierRetentionSchemas } from "./openapi-dossier-retention.ts";
import { cataloguePaths, catalogueSchemas } from "./openapi-catalogue.ts";
import { platformPaths, platformSchemas } from "./openapi-platforms.ts";
import { tokenRevocationPaths, tokenRevocationSchemas } from "./openapi-token-revocations.ts";
import { permissions } from "../../domain/permissions.ts";
import { withOverloadAnswers } from "./openapi-overload.ts";

/** Examples of every request body; the order must pass the pre-check against the demo chain. */
/** ADR 022, twenty-fifth-session addendum: an order is reached by id by its own customer or marketplace; anyone else's is as unknown. */
const ownOrdersOnly =
  "A customer reaches their own orders only (an order placed without an account: whoever holds its id, the receipt), a marketplace only the orders it sent; " +
  "any other order is answered 404 exactly as one nobody placed. Staff are held by their role and store scope. " +
  "The order as a customer or a marketplace reads it (here and in every step's answer) names no member of staff by their id (ADR 022, " +
  "twenty-sixth-session addendum): assigneeStaffId (the order's and each part's) is absent, a timeline entry staff took reads actor \"store\". " +
  "Its timeline holds only the steps customers may see, by their kind, each worded from its facts rather than staff's detail (twenty-seventh-session " +
  "addendum): none of the store's own working (assignment, overdue warnings, escalations, credit, invoices, settlement, reconciliation), and a " +
  "cancellation told by its reason code, never the words staff typed. Staff are shown every step, the ids and staff's words.";
const noSuchOrder = "No such order, or (to a customer or a marketplace) another's, answered alike (order.not-found).";

export interface RequestExamples {
  order: unknown;
}

/** The OpenAPI 3.1 document of intake's HTTP API, its schemas generated from the zod schemas requests are parsed with. */
export function openApiDocument(examples: RequestExamples) {
  return {
    openapi: "3.1.0",
    info: {
      title: "OMS intake",
      version: "1.0.0",
      description:
        "The gateway of the order management system: channels submit orders here; customers and staff follow, confirm, deliver, " +
        "accept, pay and close them, and warehouse clerks pick, pack, ship and count, each step asked of the service that owns it " +
        "as the caller the bearer token names (a caller without the step's role gets 403). " +
        "Money is in integer minor units. Errors are RFC 9457 problem details with one message per wrong field.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths: withOverloadAnswers({
      "/v1/orders": {
        post: {
          operationId: "submitOrder",
          summary: "Submit an order",
          description:
            "Pre-checks the order (store, service area, contact, prices, totals) and accepts it once per (channel, channelOrderId) " +
            "or Idempotency-Key. A repeat is answered 200 with the same orderId. Callers order as themselves: a signed-in customer names " +
            "themself or no customer (customer.customerId), a marketplace's token submits on its own channel only (channel). " +
            "The store channels (pos, phone, email) are the counter's and the order takers': a customer's own order, signed in or " +
            "not, is placed on website, app or social (400 naming channel); staff take orders on any channel, for the customer they name, " +
            `for a store they work at. Who: ${permissions["submit-order"].who}.`,
          parameters: [...common, { $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: { required: true, content: json(ref("OrderSubmission"), examples.order) },
          responses: {
            "202": ok("Accepted, waiting for a reviewer (large amount, flagged customer, unusual quantity): reviewId.", "OrderAccepted"),
            "201": {
              description: "Accepted; fulfillment takes it from here.",
              headers: { ...requestIdHeader, Location: { description: "/v1/orders/{orderId}", schema: { type: "string" } } },
              content: json(ref("OrderAccepted")),
            },
            "200": ok("The same order was accepted before (a repeated request).", "OrderAccepted"),
            "400": problem("Wrong fields, one message each; a customer's order on a store channel, or naming another account, names channel or customer.customerId."),
            "401": problem("The bearer token is malformed, expired, withdrawn, not signed by the trusted identity provider, or names nobody."),
            "403": problem("A member of staff of a role that does not take orders (caller.not-permitted, naming who may), or the order is for a store they do not work at."),
            "409": problem(
              "The channel order or Idempotency-Key was already used for different content; the order holding it is named only to staff " +
                "working at its store (or chain-wide), its marketplace or its account's customer (a guest order's id is its receipt).",
            ),
            "422": problem("The store does not serve this order (kind, method or district); the reason can be shown to the customer."),
          },
        },
        get: orderListOperation(),
      },
      "/v1/orders/{orderId}": {
        get: {
          operationId: "getOrder",
          summary: "Where an order stands, with its timeline",
          description: ownOrdersOnly,
          parameters: orderParameters,
          responses: { "200": ok("The order's status and timeline.", "OrderStatusView"), "404": problem(noSuchOrder), "503": problem("Fulfillment cannot answer now.") },
        },
      },
      "/v1/orders/{orderId}/confirmation": {
        post: {
          operationId: "confirmOrder",
          summary: "The customer confirms the order",
          description: `Who: ${permissions["confirm-order"].who}. ${ownOrdersOnly}`,
          parameters: orderParameters,
          requestBody: { required: false, content: json(ref("Confirmation"), { note: "Confirmed with the customer on the phone" }) },
          responses: {
            "200": ok("Confirmed; the order moves on.", "OrderStatusView"),
            "403": problem("A member of staff of a role that does not speak for the customer (caller.not-permitted, naming who may), or of another store."),
            "404": problem(noSuchOrder),
            "409": problem("Not allowed in the order's current state, or the order is still being set up (retry)."),
          },
        },
      },
      "/v1/orders/{orderId}/cancellation": {
        post: {
          operationId: "cancelOrder",
          summary: "Cancel an order, with a reason",
          description: `Who: ${permissions["cancel-order"].who}. ${ownOrdersOnly}`,
          parameters: orderParameters,
          requestBody: { required: true, content: json(ref("Cancellation"), { reason: "The customer ordered by mistake", reasonCode: "customer-asked" }) },
          responses: {
            "200": ok("Cancelled; reserved stock is released, a refund is due if it was paid.", "OrderStatusView"),
            "400": problem("No reason given, or a reasonCode not on the list."),
            "403": problem("A member of staff of a role that does not cancel for the customer (caller.not-permitted, naming who may), or of another store."),
            "404": problem(noSuchOrder),
            "409": problem("Too late to cancel (shipped), or still being set up (retry)."),
          },
        },
      },
      ...orderStepPaths(),
      ...refundPaths(),
      ...carrierRecoveryPaths(),
      ...settlementDisputePaths(),
      ...invoicePaths(),
      ...creditPaths(),
      ...reconciliationPaths(),
      ...warehousePaths(),
      ...replacementPaths(),
      ...expectedRestockPaths(),
      ...marketplaceAndReviewPaths(),
      ...correctionPaths(),
      ...customerFlagPaths(),
      ...contactPaths(),
      ...shortagePaths(),
      ...forceMajeurePaths(),
      ...dispatchPaths(),
      ...worklistPaths(),
      ...afterSalesPaths(),
      ...afterSalesListPaths(),
      ...archivePaths(),
      ...dossierRetentionPaths(),
      ...cataloguePaths(),
      ...platformPaths(),
      ...tokenRevocationPaths(),
      "/healthz": {
        get: {
          operationId: "systemHealth",
          summary: "gRPC health of each of the seven services",
          responses: { "200": ok("All serve.", "SystemHealth"), "503": { description: "At least one does not serve.", content: json(ref("SystemHealth")) } },
        },
      },
      "/openapi.json": { get: { operationId: "openApi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } } } },
      "/livez": { get: { operationId: "livez", summary: "The process is alive", responses: { "200": { description: "Alive", content: json({ type: "object" }) } } } },
      "/readyz": {
        get: {
          operationId: "readyz",
          summary: "The process can serve (database reachable)",
          responses: { "200": { description: "Ready", content: json({ type: "object" }) }, "503": { description: "Not ready: a check fails, e.g. load while intake is overloaded and shedding requests", content: json({ type: "object" }) } },
        },
      },
      "/metrics": {
        get: { operationId: "metrics", summary: "Prometheus metrics", responses: { "200": { description: "Text exposition format", content: { "text/plain": { schema: { type: "string" } } } } } },
      },
    }),
    // Optional everywhere: without a token the caller is an anonymous customer.
    security: [{ bearer: [] }, {}],
    components: {
      securitySchemes,
      parameters,
      schemas: {
        OrderSubmission: jsonSchemaOf(OrderSubmissionSchema, "input"),
        Confirmation: jsonSchemaOf(ConfirmationSchema, "input"),
        Cancellation: jsonSchemaOf(CancellationSchema, "input"),
        OrderAccepted: jsonSchemaOf(OrderAcceptedSchema, "output"),
        OrderStatusView: jsonSchemaOf(OrderStatusViewSchema, "output"),
        Problem: jsonSchemaOf(ProblemSchema, "output"),
        SystemHealth: jsonSchemaOf(SystemHealthSchema, "output"),
        ...orderStepSchemas(),
        ...refundSchemas(),
        ...carrierRecoverySchemas(),
        ...settlementDisputeSchemas(),
        ...invoiceSchemas(),
        ...creditSchemas(),
        ...reconciliationSchemas(),
        ...warehouseSchemas(),
        ...replacementSchemas(),
        ...expectedRestockSchemas(),
        ...marketplaceAndReviewSchemas(),
        ...correctionSchemas(),
        ...customerFlagSchemas(),
        ...contactSchemas(),
        ...dispatchSchemas(),
        ...worklistSchemas(),
        ...afterSalesSchemas(),
        ...afterSalesListSchemas(),
        ...archiveSchemas(),
        ...dossierRetentionSchemas(),
        ...catalogueSchemas(),
        ...platformSchemas(),
        ...tokenRevocationSchemas(),
        ...shortageSchemas(),
        ...forceMajeureSchemas(),
      },
    },
  };
}
