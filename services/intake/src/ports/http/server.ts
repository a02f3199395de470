import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { CallerVerifier } from "@oms/identity";
import { Histogram, registerOpsRoutes, type Logger, type ReadinessCheck, type Registry } from "@oms/observability";
import type { ShortageDeps } from "../../app/commands/answer-shortage.ts";
import type { WarehouseDeps } from "../../app/commands/pick-reservation.ts";
import type { ServiceBookingDeps } from "../../app/commands/book-service-window.ts";
import type { SettlementDeps } from "../../app/commands/confirm-payment.ts";
import type { CorrectionDeps } from "../../app/corrections.ts";
import type { ContactDeps } from "../../app/queries/show-order-contact.ts";
import type { ResourceStores } from "../../app/resource-stores.ts";
import type { CustomerFlagDeps } from "../../app/customer-flag-views.ts";
import type { ReviewDeps } from "../../app/review-decision.ts";
import type { TokenRevocationDeps } from "../../app/token-revocation-views.ts";
import { childLoggerOnFirstLine } from "./child-logger-on-first-line.ts";
import { registerAfterSalesRoutes, type AfterSalesRouteDeps } from "./after-sales-routes.ts";
import { registerArchiveRoutes, type ArchiveRouteDeps } from "./archive-routes.ts";
import { registerDossierRetentionRoutes } from "./dossier-retention-routes.ts";
import type { CatalogueDeps } from "../../app/catalogue-events.ts";
import type { PlatformSettingsDeps } from "../../app/commands/publish-platform-settings.ts";
import { registerCallerAuthentication } from "./caller-identity.ts";
import { registerCatalogueRoutes } from "./catalogue-routes.ts";
import { registerPlatformRoutes } from "./platform-routes.ts";
import { registerStoreScope } from "./store-scope.ts";
import { registerContactRoutes } from "./contact-routes.ts";
import { registerCorrectionRoutes } from "./correction-routes.ts";
import { registerCreditRoutes } from "./credit-routes.ts";
import { registerCustomerFlagDisclosureRoutes } from "./customer-flag-disclosure-routes.ts";
import { registerCustomerFlagRoutes } from "./customer-flag-routes.ts";
import { registerDispatchRoutes, type DispatchRouteDeps } from "./dispatch-routes.ts";
import { registerMarketplaceRoutes, type MarketplaceRouteDeps } from "./marketplace-routes.ts";
import { registerOrderRoutes, type OrderRouteDeps } from "./order-routes.ts";
import { registerOrderStepRoutes, type OrderStepRouteDeps } from "./order-step-routes.ts";
import { answerClientError, registerProblemDetails } from "./problem-details.ts";
import { registerLoadShedding } from "./load-shedding.ts";
import type { LoadShedding } from "../../app/load-shedding-settings.ts";
import { registerInvoiceRoutes } from "./invoice-routes.ts";
import { registerReconciliationRoutes } from "./reconciliation-routes.ts";
import { registerRefundRoutes } from "./refund-routes.ts";
import { registerCarrierRecoveryRoutes } from "./carrier-recovery-routes.ts";
import { registerSettlementDisputeRoutes } from "./settlement-dispute-routes.ts";
import { registerReviewRoutes } from "./review-routes.ts";
import { registerServiceBookingRoutes } from "./service-booking-routes.ts";
import { registerShortageRoutes } from "./shortage-routes.ts";
import { registerForceMajeureRoutes } from "./force-majeure-routes.ts";
import { registerSystemRoutes, type SystemRouteDeps } from "./system-routes.ts";
import { registerTokenRevocationRoutes } from "./token-revocation-routes.ts";
import { registerWarehouseRoutes } from "./warehouse-routes.ts";
import { registerWorklistRoutes, type WorklistRouteDeps } from "./worklist-routes.ts";

export interface HttpApiOptions {
  host: string;
  port: number;
  logger: Logger;
  registry: Registry;
  readiness: Record<string, ReadinessCheck>;
  /** When requests are refused with 503 instead of queued (ADR 009, twenty-eighth-session addendum). */
  shedding: LoadShedding;
  /** Who a request's bearer token names (the identity provider's keys are the composition root's). */
  callers: CallerVerifier;
  /** Which stores what a request names belongs to: a store-scoped caller is held to theirs. */
  resourceStores: ResourceStores;
  orders: OrderRouteDeps;
  steps: OrderStepRouteDeps;
  refunds: SettlementDeps;
  invoices: SettlementDeps;
  credit: SettlementDeps;
  reconciliations: SettlementDeps;
  warehouse: WarehouseDeps;
  marketplaces: MarketplaceRouteDeps;
  reviews: ReviewDeps;
  corrections: CorrectionDeps;
  contacts: ContactDeps;
  shortages: ShortageDeps;
  customerFlags: CustomerFlagDeps;
  dispatch: DispatchRouteDeps;
  worklists: WorklistRouteDeps;
  serviceBookings: ServiceBookingDeps;
  afterSales: AfterSalesRouteDeps;
  archive: ArchiveRouteDeps;
  tokenRevocations: TokenRevocationDeps;
  /** The chain's stores and price list, administered (ADR 028). */
  catalogue: CatalogueDeps;
  /** Marketplaces' settings, administered (ADR 028, "Marketplaces' settings"). */
  platforms: PlatformSettingsDeps;
  system: SystemRouteDeps;
}

export interface HttpApi {
  app: FastifyInstance;
  port: number;
  close(): Promise<void>;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Intake's one HTTP server: the API, /healthz, /openapi.json, and the operations routes (/metrics, /livez, /readyz). */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const app = buildHttpApi(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { app, port, close: () => app.close() };
}

export function buildHttpApi(options: Omit<HttpApiOptions, "host" | "port">): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: "http" }) as FastifyBaseLogger,
    // Request lines are the metrics' job; bodies and headers may hold personal data.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "correlationId" }),
    childLoggerFactory: childLoggerOnFirstLine,
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Long path parameters reach the routes, which answer them with problem details;
    // fastify's own 414 for a parameter over 100 characters would not be one.
    routerOptions: { maxParamLength: 16 * 1024 },
    clientErrorHandler: answerClientError,
  });

  // An empty JSON body (a confirmation without a note) is no body, not a syntax error.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
    body === "" ? done(null, undefined) : parseJson(request, body as string, done),
  );

  const requestSeconds = new Histogram({
    name: "oms_http_request_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [options.registry],
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    requestSeconds.observe({ method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  registerProblemDetails(app);
  // Before authentication: a shed request costs no token verification, no query, no write.
  const load = registerLoadShedding(app, options.shedding, { registry: options.registry, logger: options.logger.child({ component: "load-shedding" }) });
  registerCallerAuthentication(app, options.callers);
  registerStoreScope(app, options.resourceStores);
  registerOpsRoutes(app, { registry: options.registry, readiness: { ...options.readiness, load } });
  registerSystemRoutes(app, options.system);
  registerOrderRoutes(app, options.orders);
  registerOrderStepRoutes(app, options.steps);
  registerRefundRoutes(app, options.refunds);
  registerCarrierRecoveryRoutes(app, options.refunds);
  registerSettlementDisputeRoutes(app, options.refunds);
  registerInvoiceRoutes(app, options.invoices);
  registerCreditRoutes(app, options.credit);
  registerReconciliationRoutes(app, options.reconciliations);
  registerWarehouseRoutes(app, options.warehouse);
  registerMarketplaceRoutes(app, options.marketplaces);
  registerReviewRoutes(app, options.reviews);
  registerCorrectionRoutes(app, options.corrections);
  registerContactRoutes(app, options.contacts);
  registerCustomerFlagRoutes(app, options.customerFlags);
  registerCustomerFlagDisclosureRoutes(app, options.customerFlags);
  registerShortageRoutes(app, options.shortages);
  registerForceMajeureRoutes(app, options.shortages);
  registerDispatchRoutes(app, options.dispatch);
  registerWorklistRoutes(app, options.worklists);
  registerServiceBookingRoutes(app, options.serviceBookings);
  registerAfterSalesRoutes(app, options.afterSales);
  registerArchiveRoutes(app, options.archive);
  registerDossierRetentionRoutes(app, options.archive.archive);
  registerCatalogueRoutes(app, options.catalogue);
  registerPlatformRoutes(app, options.platforms);
  registerTokenRevocationRoutes(app, options.tokenRevocations);
  return app;
}
