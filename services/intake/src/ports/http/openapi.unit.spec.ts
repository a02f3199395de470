import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { demoChainPath, type DemoChain } from "@oms/service-kit";
import { catalogueOfChain } from "../../app/commands/seed-demo-catalogue.ts";
import { checkedOrderOf, preCheck } from "../../domain/pre-check.ts";
import {
  AcceptCaseSchema,
  AfterSalesPolicySchema,
  AnswerComplaintSchema,
  DeclineCaseSchema,
  FileCarrierClaimSchema,
  OpenCaseSchema,
  RejectCarrierClaimSchema,
  RejectVisitSchema,
  ResolveCaseSchema,
  SatisfactionSchema,
  SettleCarrierClaimSchema,
  SettleRefundShortfallSchema,
} from "./after-sales-schemas.ts";
import { openApiDocument } from "./openapi.ts";
import type { z } from "zod";
import { CancellationSchema, ConfirmationSchema, parseOrderSubmission } from "./schemas.ts";
import { ClosureSchema, CreditDecisionSchema, DeliverySchema, PaymentSchema, RejectionSchema } from "./step-schemas.ts";
import {
  PackingSchema,
  PackWaveSchema,
  PickWaveSchema,
  ShipmentExceptionSchema,
  ShippingSchema,
  ShipWaveSchema,
  StockCountSchema,
  StockReceiptSchema,
  ReturnReceiptSchema,
  ReturnCallOffSchema,
} from "./warehouse-schemas.ts";
import { PinduoduoOrderSchema, TmallOrderSchema } from "./marketplace-schemas.ts";
import { marketplaceExamples } from "./openapi-marketplaces-reviews.ts";
import { ReviewApprovalSchema, ReviewRejectionSchema } from "./review-schemas.ts";
import { CorrectionApprovalSchema, CorrectionRejectionSchema, CorrectionRequestSchema } from "./correction-schemas.ts";
import { CustomerFlagByContactSchema, CustomerFlagRemovalSchema, CustomerFlagSchema } from "./customer-flag-schemas.ts";
import { CustomerFlagDisclosureSearchSchema } from "./customer-flag-disclosure-schemas.ts";
import { ShortageChoiceSchema } from "./shortage-schemas.ts";
import { ForceMajeureChoiceSchema, ForceMajeureDeclarationSchema } from "./force-majeure-schemas.ts";
import {
  AbsenceSchema,
  AppointmentSchema,
  CheckInSchema,
  DeclineSchema,
  DispatchSettingsSchema,
  ServiceExceptionSchema,
  ServiceRecordSchema,
  ServiceReportSchema,
  ShiftSchema,
  StaffMemberSchema,
  VisitMoveSchema,
} from "./dispatch-schemas.ts";
import { DossierAccessApprovalSchema, DossierAccessRejectionSchema, DossierAccessRequestSchema } from "./archive-schemas.ts";
import { DossierDisposalSchema, DossierHoldReleaseSchema, DossierHoldSchema } from "./dossier-retention-schemas.ts";
import { RefundRequestSchema } from "./refund-schemas.ts";
import { CarrierReceiptRequestSchema, CarrierReceiptReversalRequestSchema, CarrierRemittanceRequestSchema, CarrierRemittanceReversalRequestSchema } from "./carrier-recovery-schemas.ts";
import { DisputeFindingRequestSchema, DisputeResolutionRequestSchema, SettlementDisputeRequestSchema } from "./settlement-dispute-schemas.ts";
import { CreditAssessmentRequestSchema } from "./credit-schemas.ts";
import { DifferenceExplanationRequestSchema, ReconciliationRequestSchema } from "./reconciliation-schemas.ts";
import { ServiceBookingSchema } from "./service-booking-schemas.ts";
import { PriceListItemBodySchema, StoreProfileBodySchema, WithdrawalSchema } from "./catalogue-schemas.ts";
import { catalogueExamples } from "./openapi-catalogue.ts";
import { StorePriceBodySchema, StorePriceRemovalSchema } from "./store-price-schemas.ts";
import { platformExamples } from "./openapi-platforms.ts";
import { PlatformSettingsBodySchema } from "./platform-schemas.ts";
import { platformSettingsProblems } from "../../domain/marketplaces/platform-settings.ts";
import { storeProfileProblems } from "../../domain/store-profile.ts";
import { priceListItemProblems } from "../../domain/price-list-item.ts";
import { TokenRevocationRequestSchema } from "./token-revocation-schemas.ts";
import { ReplacementCallOffSchema, ReplacementMoveSchema, ReplacementShippingSchema } from "./replacement-schemas.ts";
import { ExpectedRestockBodySchema, ExpectedRestockRemovalSchema } from "./expected-restock-schemas.ts";

// Reading the demo chain is the only I/O here: the example must match the data the stack runs with.
const chain = JSON.parse(await readFile(demoChainPath, "utf8")) as DemoChain;
const document = openApiDocument({ order: chain.demoOrder });

type Operation = { requestBody?: { content: Record<string, { example?: unknown }> }; responses: Record<string, unknown> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
);

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and covers every route of the API", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).toEqual(
      expect.arrayContaining([
        "POST /v1/orders",
        "GET /v1/orders/{orderId}",
        "POST /v1/orders/{orderId}/confirmation",
        "POST /v1/orders/{orderId}/cancellation",
        "GET /v1/orders",
        "POST /v1/orders/{orderId}/delivery",
        "POST /v1/orders/{orderId}/acceptance",
        "POST /v1/orders/{orderId}/rejection",
        "POST /v1/orders/{orderId}/closure",
        "POST /v1/order-closures",
        "POST /v1/orders/{orderId}/credit-decision",
        "POST /v1/orders/{orderId}/payments",
        "GET /v1/orders/{orderId}/settlement",
        "GET /v1/orders/{orderId}/refunds",
        "POST /v1/orders/{orderId}/refunds",
        "POST /v1/carrier-recoveries/{caseId}/receipts",
        "POST /v1/carrier-recoveries/{caseId}/receipt-reversals",
        "GET /v1/stores/{storeId}/carrier-recoveries",
        "POST /v1/carrier-remittances",
        "GET /v1/carrier-remittances/{reference}",
        "POST /v1/carrier-remittances/{reference}/reversal",
        "POST /v1/orders/{orderId}/settlement-disputes",
        "GET /v1/orders/{orderId}/settlement-disputes",
        "GET /v1/stores/{storeId}/settlement-disputes",
        "GET /v1/settlement-disputes/{disputeId}/disclosures",
        "POST /v1/settlement-disputes/{disputeId}/findings",
        "POST /v1/settlement-disputes/{disputeId}/resolution",
        "GET /v1/orders/{orderId}/invoices",
        "GET /v1/stores/{storeId}/invoices",
        "GET /v1/customers/{customerId}/credit",
        "POST /v1/customers/{customerId}/credit-assessments",
        "POST /v1/stores/{storeId}/reconciliations",
        "GET /v1/stores/{storeId}/reconciliations",
        "GET /v1/reconciliations/{reconciliationId}",
        "POST /v1/reconciliations/{reconciliationId}/differences/{differenceId}/explanation",
        "POST /v1/reservations/{reservationId}/pick",
        "POST /v1/reservations/{reservationId}/pack",
        "POST /v1/reservations/{reservationId}/ship",
        "POST /v1/reservation-waves/pick",
        "POST /v1/reservation-waves/pack",
        "POST /v1/reservation-waves/ship",
        "GET /v1/stores/{storeId}/stock",
        "PUT /v1/stores/{storeId}/stock/{sku}/expected-restock",
        "POST /v1/stores/{storeId}/stock/{sku}/expected-restock/removal",
        "GET /v1/stores/{storeId}/overdue-shipments",
        "POST /v1/stores/{storeId}/stock-counts",
        "POST /v1/stores/{storeId}/stock-receipts",
        "GET /v1/stores/{storeId}/expected-returns",
        "POST /v1/returns/{caseId}/receipts",
        "POST /v1/returns/{caseId}/call-off",
        "GET /v1/stores/{storeId}/replacements",
        "POST /v1/replacements/{caseId}/pick",
        "POST /v1/replacements/{caseId}/pack",
        "POST /v1/replacements/{caseId}/shipment",
        "POST /v1/replacements/{caseId}/call-off",
        "POST /v1/replacements/{caseId}/move",
        "GET /v1/stock/{sku}/availability",
        "POST /v1/channels/{platform}/orders",
        "GET /v1/reviews",
        "POST /v1/reviews/{reviewId}/approval",
        "POST /v1/reviews/{reviewId}/rejection",
        "PUT /v1/customers/{customerId}/flag",
        "DELETE /v1/customers/{customerId}/flag",
        "GET /v1/customers/flags",
        "POST /v1/customers/flags",
        "POST /v1/customers/flags/removal",
        "GET /v1/tasks/{taskId}",
        "POST /v1/tasks/{taskId}/acknowledgement",
        "POST /v1/tasks/{taskId}/decline",
        "POST /v1/tasks/{taskId}/appointment",
        "POST /v1/tasks/{taskId}/check-in",
        "POST /v1/tasks/{taskId}/service-records",
        "POST /v1/tasks/{taskId}/service-reports",
        "POST /v1/tasks/{taskId}/exceptions",
        "POST /v1/tasks/{taskId}/reschedule",
        "PUT /v1/staff/{staffId}",
        "POST /v1/staff/{staffId}/absences",
        "PUT /v1/staff/{staffId}/shift",
        "PUT /v1/stores/{storeId}/dispatch-settings",
        "GET /v1/staff/{staffId}/tasks",
        "GET /v1/stores/{storeId}/tasks",
        "GET /v1/stores/{storeId}/workload",
        "GET /v1/stores/{storeId}/overdue-steps",
        "GET /v1/kpis",
        "GET /v1/stores/{storeId}/free-windows",
        "POST /v1/orders/{orderId}/service-booking",
        "GET /v1/stores/{storeId}/after-sales-policy",
        "PUT /v1/stores/{storeId}/after-sales-policy",
        "POST /v1/orders/{orderId}/after-sales-cases",
        "GET /v1/after-sales-cases",
        "GET /v1/after-sales-cases/{caseId}",
        "GET /v1/after-sales-cases/{caseId}/disclosures",
        "POST /v1/after-sales-cases/{caseId}/acceptance",
        "POST /v1/after-sales-cases/{caseId}/decline",
        "POST /v1/after-sales-cases/{caseId}/answer",
        "POST /v1/after-sales-cases/{caseId}/resolution",
        "POST /v1/after-sales-cases/{caseId}/refund-shortfall/settlement",
        "POST /v1/after-sales-cases/{caseId}/carrier-claim",
        "POST /v1/after-sales-cases/{caseId}/carrier-claim/settlement",
        "POST /v1/after-sales-cases/{caseId}/carrier-claim/rejection",
        "GET /v1/stores/{storeId}/after-sales-report",
        "POST /v1/orders/{orderId}/satisfaction",
        "GET /v1/stores/{storeId}/order-kpis",
        "GET /v1/stores/{storeId}/sales-report",
        "GET /v1/customers/{customerId}/orders",
        "POST /v1/orders/{orderId}/dossier-access-requests",
        "POST /v1/dossier-access-requests/{requestId}/approval",
        "POST /v1/dossier-access-requests/{requestId}/rejection",
        "GET /v1/orders/{orderId}/dossier",
        "GET /v1/orders/{orderId}/dossier-access",
        "GET /v1/stores/{storeId}/dossier-retention",
        "POST /v1/orders/{orderId}/dossier-hold",
        "POST /v1/orders/{orderId}/dossier-hold/release",
        "POST /v1/dossier-disposals",
        "GET /v1/dossier-disposals",
        "POST /v1/token-revocations",
        "GET /v1/token-revocations",
        "GET /v1/stores",
        "GET /v1/stores/{storeId}",
        "GET /v1/stores/{storeId}/profile",
        "PUT /v1/stores/{storeId}/profile",
        "GET /v1/price-list",
        "PUT /v1/price-list/{sku}",
        "POST /v1/price-list/{sku}/withdrawal",
        "GET /v1/stores/{storeId}/prices",
        "PUT /v1/stores/{storeId}/prices/{sku}",
        "POST /v1/stores/{storeId}/prices/{sku}/removal",
        "GET /v1/catalogue-changes",
        "GET /openapi.json",
        "GET /healthz",
        "GET /livez",
        "GET /readyz",
        "GET /metrics",
      ]),
    );
    for (const { operation } of operations) expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
  });

  it("lists the overload's 503 with Retry-After on every route that can be shed, and on none an orchestrator polls", () => {
    type Answer = { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> };
    const polled = ["/healthz", "/livez", "/readyz", "/metrics"];
    for (const { path, method, operation } of operations) {
      const unavailable = operation.responses["503"] as Answer | undefined;
      if (polled.includes(path)) {
        expect(unavailable?.description ?? "", `${method} ${path}`).not.toMatch(/intake\.overloaded/);
        continue;
      }
      expect(unavailable?.description, `${method} ${path}`).toMatch(/intake\.overloaded.*Retry-After/);
      expect(unavailable?.headers, `${method} ${path}`).toHaveProperty("Retry-After");
      expect(unavailable?.content?.["application/problem+json"]?.schema, `${method} ${path}`).toEqual({ $ref: "#/components/schemas/Problem" });
    }
    // A 503 a route had already (fulfillment cannot answer) keeps its own words beside the overload's.
    expect((document.paths["/v1/orders/{orderId}"].get.responses["503"] as Answer).description).toMatch(/^Fulfillment cannot answer now\..*intake\.overloaded/);
    expect((document.paths["/readyz"].get.responses["503"] as Answer).description).toMatch(/overloaded/);
  });

  it("has an example for every request body, each valid for the schema the route parses it with", () => {
    const schemas: Record<string, z.ZodType> = {
      "POST /v1/orders/{orderId}/confirmation": ConfirmationSchema,
      "POST /v1/orders/{orderId}/cancellation": CancellationSchema,
      "POST /v1/orders/{orderId}/delivery": DeliverySchema,
      "POST /v1/orders/{orderId}/rejection": RejectionSchema,
      "POST /v1/orders/{orderId}/payments": PaymentSchema,
      "POST /v1/orders/{orderId}/refunds": RefundRequestSchema,
      "POST /v1/carrier-recoveries/{caseId}/receipts": CarrierReceiptRequestSchema,
      "POST /v1/carrier-recoveries/{caseId}/receipt-reversals": CarrierReceiptReversalRequestSchema,
      "POST /v1/carrier-remittances": CarrierRemittanceRequestSchema,
      "POST /v1/carrier-remittances/{reference}/reversal": CarrierRemittanceReversalRequestSchema,
      "POST /v1/orders/{orderId}/settlement-disputes": SettlementDisputeRequestSchema,
      "POST /v1/settlement-disputes/{disputeId}/findings": DisputeFindingRequestSchema,
      "POST /v1/settlement-disputes/{disputeId}/resolution": DisputeResolutionRequestSchema,
      "POST /v1/customers/{customerId}/credit-assessments": CreditAssessmentRequestSchema,
      "POST /v1/stores/{storeId}/reconciliations": ReconciliationRequestSchema,
      "POST /v1/reconciliations/{reconciliationId}/differences/{differenceId}/explanation": DifferenceExplanationRequestSchema,
      "POST /v1/order-closures": ClosureSchema,
      "POST /v1/orders/{orderId}/credit-decision": CreditDecisionSchema,
      "POST /v1/reservations/{reservationId}/pack": PackingSchema,
      "POST /v1/reservations/{reservationId}/ship": ShippingSchema,
      "POST /v1/reservation-waves/pick": PickWaveSchema,
      "POST /v1/reservation-waves/pack": PackWaveSchema,
      "POST /v1/reservation-waves/ship": ShipWaveSchema,
      "POST /v1/stores/{storeId}/stock-counts": StockCountSchema,
      "POST /v1/stores/{storeId}/stock-receipts": StockReceiptSchema,
      "POST /v1/returns/{caseId}/receipts": ReturnReceiptSchema,
      "POST /v1/returns/{caseId}/call-off": ReturnCallOffSchema,
      "POST /v1/replacements/{caseId}/pack": PackingSchema,
      "POST /v1/replacements/{caseId}/shipment": ReplacementShippingSchema,
      "POST /v1/replacements/{caseId}/call-off": ReplacementCallOffSchema,
      "POST /v1/replacements/{caseId}/move": ReplacementMoveSchema,
      "PUT /v1/stores/{storeId}/stock/{sku}/expected-restock": ExpectedRestockBodySchema,
      "POST /v1/stores/{storeId}/stock/{sku}/expected-restock/removal": ExpectedRestockRemovalSchema,
      "POST /v1/channels/{platform}/orders": TmallOrderSchema,
      "POST /v1/reviews/{reviewId}/approval": ReviewApprovalSchema,
      "POST /v1/reviews/{reviewId}/rejection": ReviewRejectionSchema,
      "POST /v1/orders/{orderId}/corrections": CorrectionRequestSchema,
      "POST /v1/corrections/{correctionId}/approval": CorrectionApprovalSchema,
      "POST /v1/corrections/{correctionId}/rejection": CorrectionRejectionSchema,
      "PUT /v1/customers/{customerId}/flag": CustomerFlagSchema,
      "POST /v1/customers/flags": CustomerFlagByContactSchema,
      "POST /v1/customers/flags/removal": CustomerFlagRemovalSchema,
      "POST /v1/customers/flags/disclosures/search": CustomerFlagDisclosureSearchSchema,
      "POST /v1/orders/{orderId}/shortage-choice": ShortageChoiceSchema,
      "POST /v1/stores/{storeId}/force-majeure": ForceMajeureDeclarationSchema,
      "POST /v1/orders/{orderId}/force-majeure-choice": ForceMajeureChoiceSchema,
      "POST /v1/reservations/{reservationId}/exceptions": ShipmentExceptionSchema,
      "POST /v1/reservations/{reservationId}/rejection": RejectionSchema,
      "POST /v1/tasks/{taskId}/decline": DeclineSchema,
      "POST /v1/tasks/{taskId}/appointment": AppointmentSchema,
      "POST /v1/tasks/{taskId}/check-in": CheckInSchema,
      "POST /v1/tasks/{taskId}/service-records": ServiceRecordSchema,
      "POST /v1/tasks/{taskId}/service-reports": ServiceReportSchema,
      "POST /v1/tasks/{taskId}/exceptions": ServiceExceptionSchema,
      "POST /v1/tasks/{taskId}/reschedule": VisitMoveSchema,
      "PUT /v1/staff/{staffId}": StaffMemberSchema,
      "POST /v1/staff/{staffId}/absences": AbsenceSchema,
      "PUT /v1/staff/{staffId}/shift": ShiftSchema,
      "PUT /v1/stores/{storeId}/dispatch-settings": DispatchSettingsSchema,
      "POST /v1/orders/{orderId}/service-booking": ServiceBookingSchema,
      "PUT /v1/stores/{storeId}/after-sales-policy": AfterSalesPolicySchema,
      "POST /v1/orders/{orderId}/after-sales-cases": OpenCaseSchema,
      "POST /v1/after-sales-cases/{caseId}/acceptance": AcceptCaseSchema,
      "POST /v1/after-sales-cases/{caseId}/decline": DeclineCaseSchema,
      "POST /v1/after-sales-cases/{caseId}/answer": AnswerComplaintSchema,
      "POST /v1/after-sales-cases/{caseId}/resolution": ResolveCaseSchema,
      "POST /v1/after-sales-cases/{caseId}/refund-shortfall/settlement": SettleRefundShortfallSchema,
      "POST /v1/after-sales-cases/{caseId}/carrier-claim": FileCarrierClaimSchema,
      "POST /v1/after-sales-cases/{caseId}/carrier-claim/settlement": SettleCarrierClaimSchema,
      "POST /v1/after-sales-cases/{caseId}/carrier-claim/rejection": RejectCarrierClaimSchema,
      "POST /v1/after-sales-cases/{caseId}/visit-rejection": RejectVisitSchema,
      "POST /v1/orders/{orderId}/satisfaction": SatisfactionSchema,
      "POST /v1/orders/{orderId}/dossier-access-requests": DossierAccessRequestSchema,
      "POST /v1/dossier-access-requests/{requestId}/approval": DossierAccessApprovalSchema,
      "POST /v1/dossier-access-requests/{requestId}/rejection": DossierAccessRejectionSchema,
      "POST /v1/orders/{orderId}/dossier-hold": DossierHoldSchema,
      "POST /v1/orders/{orderId}/dossier-hold/release": DossierHoldReleaseSchema,
      "POST /v1/dossier-disposals": DossierDisposalSchema,
      "PUT /v1/stores/{storeId}/profile": StoreProfileBodySchema,
      "PUT /v1/price-list/{sku}": PriceListItemBodySchema,
      "POST /v1/price-list/{sku}/withdrawal": WithdrawalSchema,
      "PUT /v1/stores/{storeId}/prices/{sku}": StorePriceBodySchema,
      "POST /v1/stores/{storeId}/prices/{sku}/removal": StorePriceRemovalSchema,
      "POST /v1/token-revocations": TokenRevocationRequestSchema,
      "PUT /v1/platforms/{platform}": PlatformSettingsBodySchema,
    };
    const bodies = operations.filter(({ operation }) => operation.requestBody);
    expect(bodies.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(["POST /v1/orders", ...Object.keys(schemas)].sort());
    for (const { method, path, operation } of bodies) {
      const example = operation.requestBody?.content["application/json"]?.example;
      expect(example, `${method} ${path}`).toBeDefined();
      const schema = schemas[`${method.toUpperCase()} ${path}`];
      if (schema) expect(schema.safeParse(example).error?.issues, `${method} ${path}`).toBeUndefined();
    }
  });

  it("gives a marketplace example per platform, each valid for the platform's schema", () => {
    expect(TmallOrderSchema.safeParse(marketplaceExamples.tmall).error?.issues).toBeUndefined();
    expect(PinduoduoOrderSchema.safeParse(marketplaceExamples.pinduoduo).error?.issues).toBeUndefined();
  });

  it("says that reservation ids go URL-encoded, and names who may take each role-bound step", () => {
    expect(document.components.parameters.ReservationId.description).toContain("URL-encoded");
    expect(document.components.parameters.ReservationId.example).toContain("%2Freservation%2F1");
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const operation of Object.values(methods as Record<string, Operation & { description?: string }>)) {
        if (operation.responses["403"]) expect(operation.description, path).toMatch(/Who: /);
      }
    }
  });

  it("gives an order example that passes the pre-check against the demo chain", () => {
    const submission = parseOrderSubmission(document.paths["/v1/orders"].post.requestBody.content["application/json"].example);
    const { stores, priceList } = catalogueOfChain(chain);
    const offer = { store: stores.find((s) => s.storeId === submission.storeId), priceList: new Map(priceList.map((i) => [i.sku, i])) };
    expect(checkedOrderOf(preCheck(submission, offer)).totals.grandTotalMinor).toBe(submission.totals.grandTotalMinor);
  });

  it("documents the worklists' query parameters from the schemas they are parsed with", () => {
    const names = (path: keyof typeof document.paths) =>
      ((document.paths[path] as { get: { parameters: { name?: string; in?: string }[] } }).get.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    // Paged lists (twenty-ninth session): limit is pageSize's older name, kept for callers built before.
    expect(names("/v1/staff/{staffId}/tasks")).toEqual(["status", "pageSize", "pageToken", "limit"]);
    expect(names("/v1/stores/{storeId}/tasks")).toEqual(["status", "pageSize", "pageToken", "limit"]);
    expect(names("/v1/stores/{storeId}/pick-list")).toEqual(["status", "pageSize", "pageToken", "limit"]);
    expect(names("/v1/stores/{storeId}/expected-returns")).toEqual(["pageSize", "pageToken", "limit"]);
    expect(names("/v1/stores/{storeId}/replacements")).toEqual(["pageSize", "pageToken", "limit"]);
    expect(names("/v1/kpis")).toEqual(["scope", "id", "from", "until"]);
    expect(names("/v1/stores/{storeId}/free-windows")).toEqual(["skill", "from", "until"]);
    expect(names("/v1/stores/{storeId}/invoices")).toEqual(["from", "until", "after", "limit"]);
    expect(names("/v1/stores/{storeId}/overdue-shipments")).toEqual(["pageSize", "pageToken", "limit"]);
  });

  it("generates its schemas from the zod schemas, strict where requests are parsed strictly", () => {
    const submission = document.components.schemas.OrderSubmission as { additionalProperties?: boolean; required?: string[] };
    expect(submission.additionalProperties).toBe(false);
    expect(submission.required).toEqual(expect.arrayContaining(["channel", "channelOrderId", "storeId", "lines", "totals"]));
  });

  it("gives catalogue examples the domain takes whole, in the demo chain's currency", () => {
    const profile = StoreProfileBodySchema.parse(catalogueExamples.profile);
    expect(storeProfileProblems({ storeId: "store-hz-xihu", ...profile }, chain.currency).list()).toEqual([]);
    expect(priceListItemProblems({ sku: "KETTLE-1L7", ...PriceListItemBodySchema.parse(catalogueExamples.item) }).list()).toEqual([]);
  });

  it("gives a marketplace's settings example the domain takes whole against the demo chain's catalogue", () => {
    const catalogue = { stores: new Set(chain.stores.map((s) => s.storeId)), items: new Map(chain.priceList.map((i) => [i.sku, { withdrawn: false }])) };
    const settings = { platform: "tmall", ...PlatformSettingsBodySchema.parse(platformExamples.settings) };
    expect(platformSettingsProblems(settings, catalogue).list()).toEqual([]);
  });
});
