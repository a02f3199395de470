import type { FastifyInstance } from "fastify";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { explainReconciliationDifference } from "../../app/commands/explain-reconciliation-difference.ts";
import { runReconciliation } from "../../app/commands/run-reconciliation.ts";
import { getReconciliation, listReconciliations } from "../../app/queries/reconciliations.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import {
  DifferenceExplanationRequestSchema,
  DifferenceParamsSchema,
  ReconciliationIdParamsSchema,
  ReconciliationListQuerySchema,
  ReconciliationRequestSchema,
} from "./reconciliation-schemas.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/** Reconciliation of a store's money against its orders, asked of billing (ADR 023): finance runs and explains, finance and auditors read. */
export function registerReconciliationRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  // 201 for a new run and for a retry under the same request id alike: the run as it stands.
  app.post("/v1/stores/:storeId/reconciliations", roleFirst("run-reconciliation"), async (request, reply) => {
    const context = permittedContextOf(request, "run-reconciliation");
    const storeId = storeIdOf(request);
    const run = parseOrRefuse(ReconciliationRequestSchema, request.body);
    return reply.code(201).send(await runReconciliation(deps, context, storeId, run));
  });

  app.get("/v1/stores/:storeId/reconciliations", roleFirst("view-reconciliations"), async (request) => {
    const context = permittedContextOf(request, "view-reconciliations");
    const storeId = storeIdOf(request);
    const period = parseOrRefuse(ReconciliationListQuerySchema, request.query, "query");
    return listReconciliations(deps, context, storeId, period);
  });

  app.get("/v1/reconciliations/:reconciliationId", roleFirst("view-reconciliations"), async (request) => {
    const context = permittedContextOf(request, "view-reconciliations");
    const { reconciliationId } = parseOrRefuse(ReconciliationIdParamsSchema, request.params, "reconciliationId");
    return getReconciliation(deps, context, reconciliationId);
  });

  app.post("/v1/reconciliations/:reconciliationId/differences/:differenceId/explanation", roleFirst("explain-reconciliation-difference"), async (request, reply) => {
    const context = permittedContextOf(request, "explain-reconciliation-difference");
    const { reconciliationId, differenceId } = parseOrRefuse(DifferenceParamsSchema, request.params, "path");
    const explanation = parseOrRefuse(DifferenceExplanationRequestSchema, request.body);
    return reply.code(201).send(await explainReconciliationDifference(deps, context, reconciliationId, differenceId, explanation));
  });
}
