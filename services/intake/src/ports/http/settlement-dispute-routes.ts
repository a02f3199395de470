import type { FastifyInstance } from "fastify";
import { addDisputeFinding } from "../../app/commands/add-dispute-finding.ts";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import { openSettlementDispute } from "../../app/commands/open-settlement-dispute.ts";
import { resolveSettlementDispute } from "../../app/commands/resolve-settlement-dispute.ts";
import { listDisputeDisclosures, listOrderDisputes, listStoreDisputes } from "../../app/queries/settlement-disputes.ts";
import { ShowingsPageQuerySchema, showingsPageOf } from "./disclosure-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { noHeadOfShowings } from "./showing-routes.ts";
import { DisputeFindingRequestSchema, DisputeIdParamsSchema, DisputeResolutionRequestSchema, SettlementDisputeRequestSchema, StoreDisputesQuerySchema } from "./settlement-dispute-schemas.ts";
import { roleFirst } from "./store-scope.ts";

/** Settlement disputes, asked of billing (ADR 026): opened on an order, handled with the departments involved, resolved by finance. */
export function registerSettlementDisputeRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  // 201 for a retry under the same request id too: the dispute as it stands.
  app.post("/v1/orders/:orderId/settlement-disputes", roleFirst("open-settlement-dispute"), async (request, reply) => {
    const context = permittedContextOf(request, "open-settlement-dispute");
    const orderId = orderIdOf(request);
    const opening = parseOrRefuse(SettlementDisputeRequestSchema, request.body);
    return reply.code(201).send(await openSettlementDispute(deps, context, orderId, opening));
  });

  app.get("/v1/orders/:orderId/settlement-disputes", { ...noHeadOfShowings, ...roleFirst("view-settlement-disputes") }, async (request) => {
    const context = permittedContextOf(request, "view-settlement-disputes");
    return listOrderDisputes(deps, context, orderIdOf(request));
  });

  app.get("/v1/stores/:storeId/settlement-disputes", { ...noHeadOfShowings, ...roleFirst("list-store-settlement-disputes") }, async (request) => {
    const context = permittedContextOf(request, "list-store-settlement-disputes");
    const storeId = storeIdOf(request);
    const { status, pageSize, pageToken } = parseOrRefuse(StoreDisputesQuerySchema, request.query ?? {}, "query");
    return listStoreDisputes(deps, context, storeId, status, { pageSize: pageSize ?? 0, pageToken: pageToken ?? "" });
  });

  // Who was shown the dispute's statement (ADR 026, showings addendum). Never cached.
  app.get("/v1/settlement-disputes/:disputeId/disclosures", roleFirst("list-dispute-disclosures"), async (request, reply) => {
    const context = permittedContextOf(request, "list-dispute-disclosures");
    const { disputeId } = parseOrRefuse(DisputeIdParamsSchema, request.params, "disputeId");
    const page = showingsPageOf(parseOrRefuse(ShowingsPageQuerySchema, request.query ?? {}, "query"));
    return reply.header("cache-control", "no-store").send(await listDisputeDisclosures(deps, context, disputeId, page));
  });

  app.post("/v1/settlement-disputes/:disputeId/findings", roleFirst("add-dispute-finding"), async (request, reply) => {
    const context = permittedContextOf(request, "add-dispute-finding");
    const { disputeId } = parseOrRefuse(DisputeIdParamsSchema, request.params, "disputeId");
    const finding = parseOrRefuse(DisputeFindingRequestSchema, request.body);
    return reply.code(201).send(await addDisputeFinding(deps, context, disputeId, finding));
  });

  app.post("/v1/settlement-disputes/:disputeId/resolution", roleFirst("resolve-settlement-dispute"), async (request) => {
    const context = permittedContextOf(request, "resolve-settlement-dispute");
    const { disputeId } = parseOrRefuse(DisputeIdParamsSchema, request.params, "disputeId");
    const { outcome, correction, refundMinor, documentNumber, reason, customerAnswer } = parseOrRefuse(DisputeResolutionRequestSchema, request.body);
    return resolveSettlementDispute(deps, context, disputeId, { outcome, correction: correction ?? "", refundMinor: refundMinor ?? 0, documentNumber: documentNumber ?? "", reason: reason ?? "", customerAnswer });
  });
}
