import type { FastifyInstance, FastifyRequest } from "fastify";
import { ForbiddenError } from "@oms/errors";
import { countStock } from "../../app/commands/count-stock.ts";
import { packReservation } from "../../app/commands/pack-reservation.ts";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { callOffReturn } from "../../app/commands/call-off-return.ts";
import { moveReplacement } from "../../app/commands/move-replacement.ts";
import { pickReservation, type WarehouseDeps } from "../../app/commands/pick-reservation.ts";
import { receiveReturn } from "../../app/commands/receive-return.ts";
import { receiveStock } from "../../app/commands/receive-stock.ts";
import { rejectReservation } from "../../app/commands/reject-reservation.ts";
import { reportShipmentException } from "../../app/commands/report-shipment-exception.ts";
import { packReplacement, pickReplacement } from "../../app/commands/replacement-steps.ts";
import { shipReplacement } from "../../app/commands/ship-replacement.ts";
import { shipReservation } from "../../app/commands/ship-reservation.ts";
import { waveSteps, workWave, type WaveStep } from "../../app/commands/work-wave.ts";
import { getPickList } from "../../app/queries/get-pick-list.ts";
import { getSkuAvailability } from "../../app/queries/get-sku-availability.ts";
import { getStock } from "../../app/queries/get-stock.ts";
import { listExpectedReturns } from "../../app/queries/list-expected-returns.ts";
import { listOverdueShipments } from "../../app/queries/list-overdue-shipments.ts";
import { listReplacements } from "../../app/queries/list-replacements.ts";
import { afterSalesDeskRoles, permissions } from "../../domain/permissions.ts";
import { registerExpectedRestockRoutes } from "./expected-restock-routes.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { reservationIdOf, storeIdOf } from "./path-params.ts";
import { ReplacementCallOffSchema, ReplacementMoveSchema, ReplacementShippingSchema, ReplacementsQuerySchema, SkuAvailabilityParamsSchema } from "./replacement-schemas.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";
import { NoBodySchema, RejectionSchema } from "./step-schemas.ts";
import {
  CaseIdParamsSchema,
  ExpectedReturnsQuerySchema,
  OverdueShipmentsQuerySchema,
  PackingSchema,
  PackWaveSchema,
  PickListQuerySchema,
  PickWaveSchema,
  ShipmentExceptionSchema,
  ShippingSchema,
  ShipWaveSchema,
  StockCountSchema,
  StockQuerySchema,
  StockReceiptSchema,
  ReturnReceiptSchema,
  ReturnCallOffSchema,
} from "./warehouse-schemas.ts";

const caseIdOf = (request: FastifyRequest) => parseOrRefuse(CaseIdParamsSchema, request.params, "caseId").caseId;

/** The warehouse clerks' steps and the store's stock, asked of the warehouse as the caller. */
export function registerWarehouseRoutes(app: FastifyInstance, deps: WarehouseDeps): void {
  app.post("/v1/reservations/:reservationId/pick", roleFirst("pick-reservation"), async (request) => {
    const context = permittedContextOf(request, "pick-reservation");
    const reservationId = reservationIdOf(request);
    parseOrRefuse(NoBodySchema, request.body ?? {});
    return pickReservation(deps, context, reservationId);
  });

  app.post("/v1/reservations/:reservationId/pack", roleFirst("pack-reservation"), async (request) => {
    const context = permittedContextOf(request, "pack-reservation");
    const reservationId = reservationIdOf(request);
    const { parcels } = parseOrRefuse(PackingSchema, request.body);
    return packReservation(deps, context, reservationId, parcels);
  });

  app.post("/v1/reservations/:reservationId/ship", roleFirst("ship-reservation"), async (request) => {
    const context = permittedContextOf(request, "ship-reservation");
    const reservationId = reservationIdOf(request);
    return shipReservation(deps, context, reservationId, parseOrRefuse(ShippingSchema, request.body));
  });

  // A clerk's wave: the same step for many reservations, each answered on its own.
  const waveRoute = <S extends WaveStep>(step: S, schema: typeof PickWaveSchema | typeof PackWaveSchema | typeof ShipWaveSchema) =>
    app.post(`/v1/reservation-waves/${step}`, roleFirst(waveSteps[step]), async (request) => {
      const context = permittedContextOf(request, waveSteps[step]);
      const { reservations } = parseOrRefuse(schema, request.body);
      return workWave(deps, context, step, reservations);
    });
  waveRoute("pick", PickWaveSchema);
  waveRoute("pack", PackWaveSchema);
  waveRoute("ship", ShipWaveSchema);

  app.post("/v1/reservations/:reservationId/rejection", roleFirst("reject-reservation"), async (request) => {
    const context = permittedContextOf(request, "reject-reservation");
    const reservationId = reservationIdOf(request);
    const { reason } = parseOrRefuse(RejectionSchema, request.body);
    return rejectReservation(deps, context, reservationId, reason);
  });

  app.post("/v1/reservations/:reservationId/exceptions", roleFirst("report-shipment-exception"), async (request, reply) => {
    const context = permittedContextOf(request, "report-shipment-exception");
    const reservationId = reservationIdOf(request);
    const { kind, cause, newEta } = parseOrRefuse(ShipmentExceptionSchema, request.body);
    return reply.code(201).send(await reportShipmentException(deps, context, reservationId, { kind, cause, newEta: newEta ?? "" }));
  });

  app.get("/v1/stores/:storeId/stock", roleFirst("view-stock"), async (request) => {
    const context = permittedContextOf(request, "view-stock");
    const storeId = storeIdOf(request);
    const { sku } = parseOrRefuse(StockQuerySchema, request.query, "query");
    return getStock(deps, context, storeId, sku === undefined ? [] : typeof sku === "string" ? [sku] : sku);
  });

  app.get("/v1/stores/:storeId/pick-list", roleFirst("view-pick-list"), async (request) => {
    const context = permittedContextOf(request, "view-pick-list");
    const storeId = storeIdOf(request);
    return getPickList(deps, context, storeId, parseOrRefuse(PickListQuerySchema, request.query, "query"));
  });

  app.get("/v1/stores/:storeId/overdue-shipments", roleFirst("list-overdue-shipments"), async (request) => {
    const context = permittedContextOf(request, "list-overdue-shipments");
    const storeId = storeIdOf(request);
    return listOverdueShipments(deps, context, storeId, parseOrRefuse(OverdueShipmentsQuerySchema, request.query, "query"));
  });

  app.post("/v1/stores/:storeId/stock-counts", roleFirst("count-stock"), async (request) => {
    const context = permittedContextOf(request, "count-stock");
    const storeId = storeIdOf(request);
    return countStock(deps, context, storeId, parseOrRefuse(StockCountSchema, request.body));
  });

  app.post("/v1/stores/:storeId/stock-receipts", roleFirst("receive-stock"), async (request) => {
    const context = permittedContextOf(request, "receive-stock");
    const storeId = storeIdOf(request);
    return receiveStock(deps, context, storeId, parseOrRefuse(StockReceiptSchema, request.body));
  });

  // Returned goods (ADR 021): what the store expects back from accepted returns and exchanges, and a clerk's receipt of them.
  app.get("/v1/stores/:storeId/expected-returns", roleFirst("list-expected-returns"), async (request) => {
    const context = permittedContextOf(request, "list-expected-returns");
    const storeId = storeIdOf(request);
    return listExpectedReturns(deps, context, storeId, parseOrRefuse(ExpectedReturnsQuerySchema, request.query, "query"));
  });

  app.post("/v1/returns/:caseId/receipts", roleFirst("receive-return"), async (request) => {
    const context = permittedContextOf(request, "receive-return");
    const caseId = caseIdOf(request);
    const { receiptId, lines } = parseOrRefuse(ReturnReceiptSchema, request.body);
    return receiveReturn(deps, context, caseId, {
      receiptId,
      lines: lines.map((line) => ({ sku: line.sku, resellable: line.resellable, location: line.location ?? "", writeOffs: line.writeOffs ?? [] })),
    });
  });

  // The goods will not come (the customer kept them, the parcel was lost): the after-sales desk takes the return off the list.
  app.post("/v1/returns/:caseId/call-off", roleFirst("call-off-return"), async (request) => {
    const context = permittedContextOf(request, "call-off-return");
    const caseId = caseIdOf(request);
    const { reason } = parseOrRefuse(ReturnCallOffSchema, request.body);
    return callOffReturn(deps, context, caseId, reason);
  });

  // An exchange's replacement goods (ADR 030): the store's list to ship, a clerk's shipment, the desk's call-off. The case id holds a
  // store-scoped caller to the case's store, as the returns' routes.
  app.get("/v1/stores/:storeId/replacements", roleFirst("list-replacements"), async (request) => {
    const context = permittedContextOf(request, "list-replacements");
    const storeId = storeIdOf(request);
    return listReplacements(deps, context, storeId, parseOrRefuse(ReplacementsQuerySchema, request.query, "query"));
  });

  // Its pick and pack before the shipment (ADR 030's seventh addendum), held to the same store as the shipment.
  app.post("/v1/replacements/:caseId/pick", { config: { scopedAs: { caseId: "replacementId" }, permittedFirst: "pick-replacement" } }, async (request) => {
    const context = permittedContextOf(request, "pick-replacement");
    const caseId = caseIdOf(request);
    parseOrRefuse(NoBodySchema, request.body ?? {});
    return pickReplacement(deps, context, request.storeScope, caseId);
  });

  app.post("/v1/replacements/:caseId/pack", { config: { scopedAs: { caseId: "replacementId" }, permittedFirst: "pack-replacement" } }, async (request) => {
    const context = permittedContextOf(request, "pack-replacement");
    const caseId = caseIdOf(request);
    const { parcels } = parseOrRefuse(PackingSchema, request.body);
    return packReplacement(deps, context, request.storeScope, caseId, parcels);
  });

  // The clerks of the store it ships from, which the desk may have changed (ADR 030's third addendum), not of the case's store.
  app.post("/v1/replacements/:caseId/shipment", { config: { scopedAs: { caseId: "replacementId" }, permittedFirst: "ship-replacement" } }, async (request) => {
    const context = permittedContextOf(request, "ship-replacement");
    const caseId = caseIdOf(request);
    return shipReplacement(deps, context, request.storeScope, caseId, parseOrRefuse(ReplacementShippingSchema, request.body));
  });

  app.post("/v1/replacements/:caseId/call-off", roleFirst("call-off-replacement"), async (request) => {
    const context = permittedContextOf(request, "call-off-replacement");
    const caseId = caseIdOf(request);
    const { reason } = parseOrRefuse(ReplacementCallOffSchema, request.body);
    return callOffReplacement(deps, context, caseId, reason);
  });

  // Sent from another store that has the goods (ADR 030's third addendum). The case id holds a store-scoped desk member to the
  // case's store; the target store is any (toStoreId, not storeId: the desk of the order's store asks another store to send it).
  app.post("/v1/replacements/:caseId/move", roleFirst("move-replacement"), async (request) => {
    const context = permittedContextOf(request, "move-replacement");
    const caseId = caseIdOf(request);
    return moveReplacement(deps, context, caseId, parseOrRefuse(ReplacementMoveSchema, request.body));
  });

  // Where it could come from: every store's promisable quantity of a SKU. The desk of any store may look (it sends replacements
  // to any store); other staff read their own stores' stock, so only those working chain-wide look across the chain here.
  app.get("/v1/stock/:sku/availability", roleFirst("view-stock-availability"), async (request) => {
    const context = permittedContextOf(request, "view-stock-availability");
    if (request.storeScope.kind !== "chain" && !afterSalesDeskRoles.includes(context.caller.role)) {
      throw new ForbiddenError("caller.not-permitted", `only ${permissions["view-stock-availability"].who} may see every store's stock of a SKU`);
    }
    const { sku } = parseOrRefuse(SkuAvailabilityParamsSchema, request.params, "sku");
    return getSkuAvailability(deps, context, sku);
  });

  // When a short SKU is expected back (ADR 030's second addendum).
  registerExpectedRestockRoutes(app, deps);
}
