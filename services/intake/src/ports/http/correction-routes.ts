import type { FastifyInstance, FastifyRequest } from "fastify";
import { correctionsOfOrder, decideOnCorrection, pendingCorrections, requestCorrection, type CorrectionDeps } from "../../app/corrections.ts";
import {
  CorrectionApprovalSchema,
  CorrectionIdParamsSchema,
  CorrectionRejectionSchema,
  CorrectionRequestSchema,
  ListCorrectionsQuerySchema,
} from "./correction-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

const correctionIdOf = (request: FastifyRequest) => parseOrRefuse(CorrectionIdParamsSchema, request.params, "correctionId").correctionId;

/** Corrections: an order taker files one against an order; a supervisor approves (it is applied) or rejects it. */
export function registerCorrectionRoutes(app: FastifyInstance, deps: CorrectionDeps): void {
  app.post("/v1/orders/:orderId/corrections", roleFirst("request-correction"), async (request, reply) => {
    const context = permittedContextOf(request, "request-correction");
    const orderId = orderIdOf(request);
    const body = parseOrRefuse(CorrectionRequestSchema, request.body);
    const view = await requestCorrection(deps, context, orderId, body);
    return reply.code(201).header("location", `/v1/corrections/${view.correctionId}`).send(view);
  });

  app.get("/v1/orders/:orderId/corrections", roleFirst("list-corrections"), async (request) => {
    permittedContextOf(request, "list-corrections");
    return { corrections: await correctionsOfOrder(deps, orderIdOf(request)) };
  });

  app.get("/v1/corrections", roleFirst("list-corrections"), async (request) => {
    permittedContextOf(request, "list-corrections");
    const query = parseOrRefuse(ListCorrectionsQuerySchema, request.query, "query");
    return pendingCorrections(deps, { storeId: query.storeId, pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "" });
  });

  app.post("/v1/corrections/:correctionId/approval", roleFirst("decide-correction"), async (request) => {
    const context = permittedContextOf(request, "decide-correction");
    const correctionId = correctionIdOf(request);
    const { note } = parseOrRefuse(CorrectionApprovalSchema, request.body ?? {});
    return decideOnCorrection(deps, context, correctionId, { type: "approve", note: note ?? "" });
  });

  app.post("/v1/corrections/:correctionId/rejection", roleFirst("decide-correction"), async (request) => {
    const context = permittedContextOf(request, "decide-correction");
    const correctionId = correctionIdOf(request);
    const { reason } = parseOrRefuse(CorrectionRejectionSchema, request.body);
    return decideOnCorrection(deps, context, correctionId, { type: "reject", reason });
  });
}
