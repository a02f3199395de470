import { permissions } from "../../domain/permissions.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";
import {
  DifferenceExplanationRequestSchema,
  ReconciliationListQuerySchema,
  ReconciliationRequestSchema,
  ReconciliationsViewSchema,
  ReconciliationViewSchema,
} from "./reconciliation-schemas.ts";

const unavailable = problem("Billing (or fulfillment, which a run asks) cannot answer now (retry after Retry-After).");
const reconciliationIdParameter = { name: "reconciliationId", in: "path", required: true, schema: { type: "string", maxLength: 100 }, example: "5b0c7c1e-6a2f-4b7e-9f1d-2c3a4b5c6d7e" };
const differenceIdParameter = { name: "differenceId", in: "path", required: true, schema: { type: "string", maxLength: 100 }, example: "8e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b" };

/** Reconciliation of a store's money against its orders (ADR 023), asked of billing. */
export function reconciliationPaths() {
  const run = permissions["run-reconciliation"].who;
  const view = permissions["view-reconciliations"].who;
  const explain = permissions["explain-reconciliation-difference"].who;
  return {
    "/v1/stores/{storeId}/reconciliations": {
      post: {
        operationId: "runReconciliation",
        summary: "Reconcile a store's money against its orders over a period",
        description:
          "Billing's RunReconciliation. Billing asks fulfillment for the store's orders that ended (closed or cancelled) in the period and those " +
          "it had money moments of (settlement, payment, refund, invoice), and records each difference by order and kind: closed without a " +
          "settlement or an invoice, under- or over-collected, currencies differing, a cancellation refund on an order not cancelled, money kept " +
          "after a cancellation, an invoice before the closure, money of an order fulfillment does not know. A rerun of the period (another " +
          "requestId) reopens nothing already explained and marks what it no longer finds resolved by the data. The daily run does this for " +
          `every store at BILLING_RECONCILE_AT. Who: ${run}.`,
        parameters: storeParameters,
        requestBody: body("ReconciliationRequest", { requestId: "recon-2026-12-06-jingan", from: "2026-12-06T00:00:00+08:00", until: "2026-12-07T00:00:00+08:00" }),
        responses: {
          "201": ok("The run, with every difference it found (a retry under the same requestId: the same run).", "Reconciliation"),
          "400": problem("Wrong fields, one message each (requestId, from, until: until after from, at most 31 days)."),
          "403": forbidden(run),
          "409": problem("The requestId already started a run of another period (reconciliation.request-id-reused)."),
          "503": unavailable,
        },
      },
      get: {
        operationId: "listReconciliations",
        summary: "A store's reconciliations, newest period first",
        description:
          "Billing's ListReconciliations: runs whose period starts in [from, until), each with its counts and whether it is balanced, a page at a time " +
          `(pageSize, 100 when absent): nextPageToken, while present, continues the list; runs completed meanwhile neither repeat nor skip a run. Who: ${view}.`,
        parameters: [...storeParameters, ...queryParametersOf(ReconciliationListQuerySchema)],
        responses: {
          "200": ok("The store's reconciliations.", "Reconciliations"),
          "400": problem("A bound missing or malformed, until before from, or over a year; pageSize outside 1 to 400; a pageToken this list did not give."),
          "403": forbidden(view),
          "503": unavailable,
        },
      },
    },
    "/v1/reconciliations/{reconciliationId}": {
      get: {
        operationId: "getReconciliation",
        summary: "One reconciliation with its differences, each as it now stands",
        description: `Billing's GetReconciliation: every difference the run found — open, explained (with every explanation: who, when, how corrected) or resolved by the data. Who: ${view}.`,
        parameters: [reconciliationIdParameter, ...common],
        responses: {
          "200": ok("The reconciliation.", "Reconciliation"),
          "403": forbidden(view),
          "404": problem("No such reconciliation."),
          "503": unavailable,
        },
      },
    },
    "/v1/reconciliations/{reconciliationId}/differences/{differenceId}/explanation": {
      post: {
        operationId: "explainReconciliationDifference",
        summary: "Explain a difference and say how it was corrected",
        description:
          "Billing's ExplainDifference. Appended, never changed (a later explanation adds to the record); the difference is no longer open, and " +
          `no rerun of the period reopens it. The reconciliation is balanced once none of its differences is open. Who: ${explain}.`,
        parameters: [reconciliationIdParameter, differenceIdParameter, ...common],
        requestBody: body("DifferenceExplanationRequest", {
          explanationId: "expl-2026-12-07-001",
          correction: "payment-recorded",
          note: "the customer's bank transfer arrived a day late; payment recorded under reference BT-88213",
        }),
        responses: {
          "201": ok("Explained: the reconciliation as it now stands.", "Reconciliation"),
          "400": problem("Wrong fields, one message each (explanationId, correction, note)."),
          "403": forbidden(explain),
          "404": problem("The reconciliation found no such difference."),
          "409": problem("The explanationId already holds another explanation (reconciliation.explanation-id-reused)."),
          "503": unavailable,
        },
      },
    },
  };
}

export const reconciliationSchemas = () => ({
  ReconciliationRequest: jsonSchemaOf(ReconciliationRequestSchema, "input"),
  DifferenceExplanationRequest: jsonSchemaOf(DifferenceExplanationRequestSchema, "input"),
  Reconciliation: jsonSchemaOf(ReconciliationViewSchema, "output"),
  Reconciliations: jsonSchemaOf(ReconciliationsViewSchema, "output"),
});
