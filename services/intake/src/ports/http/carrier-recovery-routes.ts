import type { FastifyInstance } from "fastify";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import {
  getCarrierRemittance,
  listCarrierRecoveries,
  recordCarrierReceipt,
  recordCarrierRemittance,
  reverseCarrierReceipt,
  reverseCarrierRemittance,
} from "../../app/carrier-recoveries.ts";
import {
  CarrierReceiptRequestSchema,
  CarrierReceiptReversalRequestSchema,
  CarrierRecoveriesQuerySchema,
  CarrierRecoveryParamsSchema,
  CarrierRemittanceParamsSchema,
  CarrierRemittanceRequestSchema,
  CarrierRemittanceReversalRequestSchema,
} from "./carrier-recovery-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/**
 * Money carriers owe on settled claims, asked of billing (ADR 017, second carrier addendum):
 * finance books what arrives and lists what is owed. The recovery is named by its case's id,
 * so the store scope holds a store-scoped clerk to their stores' cases.
 */
export function registerCarrierRecoveryRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  // 201 for a retry under the same reference too: it answers the recovery as the first request left it.
  app.post("/v1/carrier-recoveries/:caseId/receipts", { config: { permittedFirst: "record-carrier-receipt" } }, async (request, reply) => {
    const context = permittedContextOf(request, "record-carrier-receipt");
    const { caseId } = parseOrRefuse(CarrierRecoveryParamsSchema, request.params, "caseId");
    const receipt = parseOrRefuse(CarrierReceiptRequestSchema, request.body);
    return reply.code(201).send(await recordCarrierReceipt(deps, context, caseId, receipt));
  });

  // The receipt is named in the body, not the path: its reference is finance's own text, and the
  // case in the path is what holds a store-scoped clerk to their stores. 201 for a retry too.
  app.post("/v1/carrier-recoveries/:caseId/receipt-reversals", { config: { permittedFirst: "reverse-carrier-receipt" } }, async (request, reply) => {
    const context = permittedContextOf(request, "reverse-carrier-receipt");
    const { caseId } = parseOrRefuse(CarrierRecoveryParamsSchema, request.params, "caseId");
    const reversal = parseOrRefuse(CarrierReceiptReversalRequestSchema, request.body);
    return reply.code(201).send(await reverseCarrierReceipt(deps, context, caseId, reversal));
  });

  // One carrier transfer paying several claims, booked whole or not at all. The cases are named in
  // the body's allocations, which hold a store-scoped clerk to their stores' cases as a path would —
  // once the clerk is known to be finance, so no one else learns which of them exist.
  // 201 for a retry under the same reference too: it answers the remittance as it stands.
  app.post("/v1/carrier-remittances", { config: { permittedFirst: "record-carrier-remittance" } }, async (request, reply) => {
    const context = permittedContextOf(request, "record-carrier-remittance");
    const remittance = parseOrRefuse(CarrierRemittanceRequestSchema, request.body);
    return reply.code(201).send(await recordCarrierRemittance(deps, context, remittance));
  });

  // A remittance is named by finance's reference, tied to no one store: the route holds a
  // store-scoped caller to remittances whose every claim is of their stores, once their role is known.
  app.get("/v1/carrier-remittances/:reference", { config: { permittedFirst: "read-carrier-remittance", scopedByRoute: true } }, async (request) => {
    const context = permittedContextOf(request, "read-carrier-remittance");
    const { reference } = parseOrRefuse(CarrierRemittanceParamsSchema, request.params, "reference");
    return getCarrierRemittance(deps, context, request.storeScope, reference);
  });

  // The whole transfer reversed at once, all allocations or none. 201 for a retry too: it answers the remittance as recorded.
  app.post("/v1/carrier-remittances/:reference/reversal", { config: { permittedFirst: "reverse-carrier-remittance", scopedByRoute: true } }, async (request, reply) => {
    const context = permittedContextOf(request, "reverse-carrier-remittance");
    const { reference } = parseOrRefuse(CarrierRemittanceParamsSchema, request.params, "reference");
    const { reason } = parseOrRefuse(CarrierRemittanceReversalRequestSchema, request.body);
    return reply.code(201).send(await reverseCarrierRemittance(deps, context, request.storeScope, { reference, reason }));
  });

  app.get("/v1/stores/:storeId/carrier-recoveries", roleFirst("list-carrier-recoveries"), async (request) => {
    const context = permittedContextOf(request, "list-carrier-recoveries");
    const storeId = storeIdOf(request);
    const { outstandingOnly, overdueOnly, pageSize, pageToken, limit } = parseOrRefuse(CarrierRecoveriesQuerySchema, request.query, "query");
    const filter = { outstandingOnly: outstandingOnly === "true", overdueOnly: overdueOnly === "true" };
    // Unset as gRPC's empty: billing's default page, the first; pageSize and limit both given, billing refuses naming limit.
    return listCarrierRecoveries(deps, context, storeId, { ...filter, pageSize: pageSize ?? 0, limit: limit ?? 0, pageToken: pageToken ?? "" });
  });
}
