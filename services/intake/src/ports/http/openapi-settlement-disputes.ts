import { permissions } from "../../domain/permissions.ts";
import { DisputeDisclosureListSchema, ShowingsPageQuerySchema } from "./disclosure-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";
import {
  DisputeFindingRequestSchema,
  DisputeResolutionRequestSchema,
  SettlementDisputeRequestSchema,
  SettlementDisputesViewSchema,
  SettlementDisputeViewSchema,
  StoreDisputesQuerySchema,
} from "./settlement-dispute-schemas.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const disputeIdParameter = { name: "disputeId", in: "path", required: true, schema: { type: "string", maxLength: 100 }, example: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" };
const noDispute = problem("No such dispute (settlement-dispute.not-found).");

/** Settlement disputes (ADR 026), asked of billing's SettlementQuery and BillingCommands. */
export function settlementDisputePaths() {
  const open = permissions["open-settlement-dispute"].who;
  const view = permissions["view-settlement-disputes"].who;
  const store = permissions["list-store-settlement-disputes"].who;
  const find = permissions["add-dispute-finding"].who;
  const resolve = permissions["resolve-settlement-dispute"].who;
  const disclosures = permissions["list-dispute-disclosures"].who;
  return {
    "/v1/orders/{orderId}/settlement-disputes": {
      post: {
        operationId: "openSettlementDispute",
        summary: "Dispute the money of an order",
        description:
          "Billing's OpenSettlementDispute: the amount is checked against the order's money (at most its amount due or what was paid), the dispute is " +
          "routed to the departments whose records matter (by kind) and is due an answer by respondBy, after which the store manager hears of it. " +
          `While it is open, finance cannot close the order (409 order.settlement-dispute-open). Who: ${open}.`,
        parameters: orderParameters,
        requestBody: body("SettlementDisputeRequest", { requestId: "app-dispute-1", kind: "refund-missing", amountMinor: 2_000, statement: "The refund for the returned kettle never arrived." }),
        responses: {
          "201": ok("The dispute (a retry under the same requestId: the dispute as it stands).", "SettlementDispute"),
          "400": problem("Wrong fields, one message each (amountMinor names the most the order's money allows)."),
          "403": forbidden(open),
          "404": problem("No such order (order.not-found; to a customer, another customer's too, answered alike), or billing holds no money of it (settlement-dispute.order-unknown)."),
          "409": problem("The requestId already opened a dispute with other content (settlement-dispute.request-id-reused)."),
          "503": unavailable,
        },
      },
      get: {
        operationId: "listOrderSettlementDisputes",
        summary: "The order's settlement disputes, oldest first",
        description: `Billing's ListSettlementDisputes for the order. The customer reads the state and the answers they were given; staff read the findings and reasons too. Each statement shown is logged (GET /v1/settlement-disputes/{disputeId}/disclosures). Who: ${view}.`,
        parameters: orderParameters,
        responses: { "200": ok("The order's disputes.", "SettlementDisputes"), "403": forbidden(view), "404": problem("No such order (order.not-found; to a customer, another customer's too, answered alike)."), "503": unavailable },
      },
    },
    "/v1/stores/{storeId}/settlement-disputes": {
      get: {
        operationId: "listStoreSettlementDisputes",
        summary: "A store's settlement disputes, oldest first",
        description:
          "Billing's ListSettlementDisputes for the store; ?status=open is finance's and the store manager's worklist. A page at a time (pageSize, 200 when " +
          "absent): nextPageToken, while present, continues the list; disputes opened meanwhile neither repeat nor skip one. Each statement shown is logged " +
          `(GET /v1/settlement-disputes/{disputeId}/disclosures). Who: ${store}.`,
        parameters: [...storeParameters, ...queryParametersOf(StoreDisputesQuerySchema)],
        responses: {
          "200": ok("A page of the store's disputes.", "SettlementDisputes"),
          "400": problem("Wrong query fields: status, pageSize outside 1 to 500, a pageToken this list did not give."),
          "403": forbidden(store),
          "503": unavailable,
        },
      },
    },
    "/v1/settlement-disputes/{disputeId}/disclosures": {
      get: {
        operationId: "listDisputeDisclosures",
        summary: "Who was shown the dispute's statement, and when",
        description:
          "The statement is the opener's own words, sealed at rest (ADR 026); billing logs every view that opens it — the dispute, the order's and the " +
          "store's lists, a finding's or a resolution's answer — naming who, their role, the field, when and the request, in an append-only log. " +
          `This is that log, oldest first, a page at a time (nextPageToken continues it, absent on the last page); never the statement. Sent with Cache-Control: no-store. Who: ${disclosures}.`,
        parameters: [disputeIdParameter, ...queryParametersOf(ShowingsPageQuerySchema), ...common],
        responses: {
          "200": ok("A page of the showings.", "DisputeDisclosureList"),
          "400": problem("A pageSize outside 1 to 1,000, or a pageToken this log did not give."),
          "403": forbidden(disclosures),
          "404": noDispute,
          "503": unavailable,
        },
      },
    },
    "/v1/settlement-disputes/{disputeId}/findings": {
      post: {
        operationId: "addDisputeFinding",
        summary: "Add a department's finding to a dispute",
        description:
          "Billing's AddDisputeFinding: appended with who and when, for the caller's department (finance; warehouse: warehouse clerk; delivery: rider, " +
          `dispatcher; store: store manager, supervisor; customer service), which must be one the dispute was routed to. Who: ${find}.`,
        parameters: [disputeIdParameter, ...common],
        requestBody: body("DisputeFindingRequest", { findingId: "wh-RET-7", finding: "Return RET-7 received and restocked on the 3rd." }),
        responses: {
          "201": ok("The dispute with the finding (a retry under the same findingId: as it stands).", "SettlementDispute"),
          "400": problem("Wrong fields, one message each."),
          "403": problem("The caller's department is not one the dispute was routed to (settlement-dispute.department-not-involved), or the caller may not add findings."),
          "404": noDispute,
          "409": problem("The dispute is resolved (settlement-dispute.resolved), or the findingId holds another finding (settlement-dispute.finding-id-reused)."),
          "503": unavailable,
        },
      },
    },
    "/v1/settlement-disputes/{disputeId}/resolution": {
      post: {
        operationId: "resolveSettlementDispute",
        summary: "Resolve a dispute: upheld with its correction, or rejected",
        description:
          "Billing's ResolveSettlementDispute, once: upheld with a refund (issued now through billing's refund path, reference dispute:<disputeId>; an " +
          "invoiced order's refund is credited with a credit note) or with the order's invoice document that corrects it; or rejected with the reason. " +
          `The customer's answer is kept; the response deadline is called off. Who: ${resolve}.`,
        parameters: [disputeIdParameter, ...common],
        requestBody: body("DisputeResolutionRequest", {
          outcome: "upheld",
          correction: "refund",
          refundMinor: 2_000,
          reason: "return received, refund never issued",
          customerAnswer: "We are sorry: your refund of 20.00 is on its way.",
        }),
        responses: {
          "200": ok("The resolved dispute (the same resolution again: as it stands).", "SettlementDispute"),
          "400": problem("Wrong fields, one message each (a refund above the amount in dispute, a document not of the order, a rejection without a reason)."),
          "403": forbidden(resolve),
          "404": noDispute,
          "409": problem("Already resolved otherwise (settlement-dispute.already-resolved), or a refund beyond what is left to refund (refund.rule-violation)."),
          "503": unavailable,
        },
      },
    },
  };
}

export const settlementDisputeSchemas = () => ({
  SettlementDisputeRequest: jsonSchemaOf(SettlementDisputeRequestSchema, "input"),
  DisputeFindingRequest: jsonSchemaOf(DisputeFindingRequestSchema, "input"),
  DisputeResolutionRequest: jsonSchemaOf(DisputeResolutionRequestSchema, "input"),
  SettlementDispute: jsonSchemaOf(SettlementDisputeViewSchema, "output"),
  SettlementDisputes: jsonSchemaOf(SettlementDisputesViewSchema, "output"),
  DisputeDisclosureList: jsonSchemaOf(DisputeDisclosureListSchema, "output"),
});
